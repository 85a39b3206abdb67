import type { ParamMatcher } from '@sveltejs/kit';
import { isContentPage } from '$lib/content/pages';

export const match: ParamMatcher = (param) => isContentPage(param);
