import { splitLocale } from '$lib/i18n/locales';
import { safeReturnPath } from '$lib/server/return-path';
import type { PageServerLoad } from './$types';

/**
 * The page to offer in each language: the one the person came from (`?from=/court/day`, as the
 * header's link sends it), without its language prefix and without any query (a sign-in link's
 * token must not travel on). Anything that is not a people's page of this site is the home page.
 */
export const load: PageServerLoad = ({ url }) => {
	const from = safeReturnPath(url.searchParams.get('from'), url.origin);
	const { path } = splitLocale(new URL(from, url.origin).pathname);
	const ours = path !== '/language' && !/^\/(staff|language-offer|exit-notice)(\/|$)/.test(path);
	return { from: ours ? path : '/' };
};
