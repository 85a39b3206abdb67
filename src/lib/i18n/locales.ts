/** Languages the site speaks, with their text direction. English is the default and has no URL prefix. */
// In the order DESIGN.md gives London's main languages; each named in itself, in its own script.
export const locales = [
	{ code: 'en', name: 'English', dir: 'ltr' },
	{ code: 'ro', name: 'Română', dir: 'ltr' },
	{ code: 'pl', name: 'Polski', dir: 'ltr' },
	{ code: 'es', name: 'Español', dir: 'ltr' },
	{ code: 'pt', name: 'Português', dir: 'ltr' },
	{ code: 'bn', name: 'বাংলা', dir: 'ltr' },
	{ code: 'tr', name: 'Türkçe', dir: 'ltr' },
	{ code: 'ar', name: 'العربية', dir: 'rtl' },
	{ code: 'ur', name: 'اردو', dir: 'rtl' },
	{ code: 'gu', name: 'ગુજરાતી', dir: 'ltr' },
	{ code: 'pa', name: 'ਪੰਜਾਬੀ', dir: 'ltr' },
	{ code: 'ta', name: 'தமிழ்', dir: 'ltr' },
	{ code: 'so', name: 'Soomaali', dir: 'ltr' }
] as const;

export type Locale = (typeof locales)[number]['code'];
export type TextDirection = 'ltr' | 'rtl';

export const defaultLocale: Locale = 'en';

const codes: ReadonlySet<string> = new Set(locales.map((locale) => locale.code));

/** True when the value is one of the site's language codes. */
export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && codes.has(value);
}

/** The text direction of a language. */
export function directionOf(lang: Locale): TextDirection {
	return locales.find((locale) => locale.code === lang)?.dir ?? 'ltr';
}

/** Splits a pathname into its language and the path without the language prefix. */
export function splitLocale(pathname: string): { lang: Locale; path: string } {
	const [, first, ...rest] = pathname.split('/');
	if (first && first !== defaultLocale && isLocale(first)) {
		return { lang: first, path: '/' + rest.join('/') };
	}
	return { lang: defaultLocale, path: pathname || '/' };
}

/** The same path in another language: `/refer` in Polish is `/pl/refer`, English has no prefix. */
export function localizePath(path: string, lang: Locale): string {
	const clean = path.startsWith('/') ? path : '/' + path;
	if (lang === defaultLocale) return clean;
	return clean === '/' ? `/${lang}` : `/${lang}${clean}`;
}
