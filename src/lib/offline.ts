import { courtPages } from '$lib/content/pages';
import { locales, localizePath } from '$lib/i18n/locales';

/**
 * The public pages the installed app keeps for use without a network, in every language: home,
 * the court guide, safety and help pages, and the offline page itself. Never a signed-in page.
 */
export const offlinePaths = [
	'/',
	'/court',
	...courtPages.map((page) => `/court/${page}`),
	'/safety',
	'/help',
	'/privacy',
	'/accessibility',
	'/offline'
];

/** Every public page the service worker stores, in every language. */
export const offlinePages: string[] = locales.flatMap((locale) =>
	offlinePaths.map((path) => localizePath(path, locale.code))
);

/** The offline page in the language of a path. */
export function offlinePageFor(pathname: string): string {
	const code = locales.find(
		(l) => l.code !== 'en' && (pathname === `/${l.code}` || pathname.startsWith(`/${l.code}/`))
	)?.code;
	return localizePath('/offline', code ?? 'en');
}
