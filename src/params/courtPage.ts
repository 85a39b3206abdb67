import type { ParamMatcher } from '@sveltejs/kit';
import { isCourtPage } from '$lib/content/pages';

export const match: ParamMatcher = (param) => isCourtPage(param);
