import { courtPages } from '$lib/content/pages';
import { defaultLocale, locales, localizePath, splitLocale, type Locale } from '$lib/i18n/locales';

/**
 * The public pages the installed app keeps for use without a network, in each language the
 * visitor has used: home, the court guide, safety and help pages, and the offline page itself.
 * Never a signed-in page.
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

/** The public pages the service worker keeps for one language. */
export function offlinePagesIn(lang: Locale): string[] {
	return offlinePaths.map((path) => localizePath(path, lang));
}

/** True when the path is one of the pages the service worker may keep, in any language. */
export function isOfflinePage(pathname: string): boolean {
	const { lang, path } = splitLocale(pathname);
	return offlinePaths.includes(path) && localizePath(path, lang) === pathname;
}

/**
 * The language a page of ours is in, when it is one a person reads: the console (English only,
 * staff) and addresses outside the people's pages say nothing about the visitor's language.
 */
export function visitorLanguageOf(pathname: string): Locale | null {
	if (pathname === '/staff' || pathname.startsWith('/staff/')) return null;
	if (pathname.startsWith('/_app/') || /\.[a-z0-9]+$/i.test(pathname)) return null;
	return splitLocale(pathname).lang;
}

/** The offline page in the language of a path. */
export function offlinePageFor(pathname: string): string {
	return localizePath('/offline', splitLocale(pathname).lang);
}

/** Every language's offline page, the default first: what to show when the page's own is not kept. */
export const anyOfflinePage: string[] = [
	localizePath('/offline', defaultLocale),
	...locales.filter((l) => l.code !== defaultLocale).map((l) => localizePath('/offline', l.code))
];
