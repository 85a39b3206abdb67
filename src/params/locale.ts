import type { ParamMatcher } from '@sveltejs/kit';
import { defaultLocale, isLocale } from '$lib/i18n/locales';

// English lives at `/`; only the other languages take a URL prefix, so `/en/…` is not a second copy.
export const match: ParamMatcher = (param) => isLocale(param) && param !== defaultLocale;
