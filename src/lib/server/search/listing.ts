import { contentPages, courtPages } from '$lib/content/pages';
import { localizePath, locales, splitLocale, defaultLocale, type Locale } from '$lib/i18n/locales';
import type { Translate } from '$lib/i18n';

/**
 * The public information pages a search engine may list, by path without the language prefix,
 * each with the name of its description (`meta.description.<name>`). Everything else — the referral, sign-in,
 * the portal, the console, quick exit, the offline page, any error — asks not to be listed.
 */
export const listedPages: ReadonlyMap<string, ListedPage> = new Map<string, ListedPage>([
	['/', 'home'],
	['/court', 'court'],
	...courtPages.map((page) => [`/court/${page}`, `court-${page}`] as const),
	...contentPages.map((page) => [`/${page}`, page] as const)
]);

export type ListedPage =
	'home' | 'court' | `court-${(typeof courtPages)[number]}` | (typeof contentPages)[number];

/** What every page that must stay out of search results carries in its head. */
export const noindex = '<meta name="robots" content="noindex, nofollow" />';

/** The page's own address without a language prefix, if it is a listed page. */
export function listedPage(
	pathname: string
): { lang: Locale; path: string; page: ListedPage } | null {
	const { lang, path } = splitLocale(pathname);
	// `/pl/` and `/court/` are not the page's address: only its one spelling is listed.
	const page = listedPages.get(path);
	return page ? { lang, path, page } : null;
}

const attribute = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The search-engine tags for a page's head: for a listed page with indexing on, its translated
 * description, its own address as canonical and the same page in every language (hreflang, with
 * English as `x-default`); for anything else, or with indexing off, `noindex, nofollow`.
 */
export function searchTags(
	pathname: string,
	options: { indexing: boolean; origin: URL; routeId: string | null; t: Translate }
): string {
	const listed = options.indexing && options.routeId !== null ? listedPage(pathname) : null;
	if (!listed || localizePath(listed.path, listed.lang) !== pathname) return noindex;
	const at = (lang: Locale) => new URL(localizePath(listed.path, lang), options.origin).href;
	return [
		`<meta name="description" content="${attribute(options.t(`meta.description.${listed.page}`))}" />`,
		`<link rel="canonical" href="${at(listed.lang)}" />`,
		...locales.map(
			(locale) => `<link rel="alternate" hreflang="${locale.code}" href="${at(locale.code)}" />`
		),
		`<link rel="alternate" hreflang="x-default" href="${at(defaultLocale)}" />`
	].join('\n\t\t');
}

/** Every listed page in every language, as absolute addresses, for the sitemap. */
export function listedAddresses(origin: URL): { loc: string; alternates: [Locale, string][] }[] {
	return [...listedPages.keys()].flatMap((path) => {
		const alternates = locales.map((locale): [Locale, string] => [
			locale.code,
			new URL(localizePath(path, locale.code), origin).href
		]);
		return alternates.map(([, loc]) => ({ loc, alternates }));
	});
}

/** robots.txt: with indexing on, only the listed pages (and the sitemap) may be fetched. */
export function robotsTxt(indexing: boolean, origin: URL): string {
	if (!indexing) {
		return '# This service asks not to be listed by search engines.\nUser-agent: *\nDisallow: /\n';
	}
	const allowed = [...listedPages.keys()].flatMap((path) =>
		locales.map((locale) => `Allow: ${localizePath(path, locale.code)}$`)
	);
	return [
		'# Only the public information pages may be listed; the referral, sign-in, the',
		'# signed-in pages and the staff console are private to the person using them.',
		'User-agent: *',
		...allowed,
		'Disallow: /',
		'',
		`Sitemap: ${new URL('/sitemap.xml', origin).href}`,
		''
	].join('\n');
}

/** The sitemap: every listed page in every language, each naming its other languages. */
export function sitemapXml(origin: URL): string {
	const xml = (text: string) => attribute(text).replace(/'/g, '&apos;');
	const urls = listedAddresses(origin).map(({ loc, alternates }) =>
		[
			'\t<url>',
			`\t\t<loc>${xml(loc)}</loc>`,
			...alternates.map(
				([lang, href]) => `\t\t<xhtml:link rel="alternate" hreflang="${lang}" href="${xml(href)}"/>`
			),
			'\t</url>'
		].join('\n')
	);
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
		...urls,
		'</urlset>',
		''
	].join('\n');
}
