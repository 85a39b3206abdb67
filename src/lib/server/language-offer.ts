import type { Cookies } from '@sveltejs/kit';
import { directionOf, isLocale, localizePath, type Locale } from '$lib/i18n/locales';
import { fixedT } from '$lib/server/i18n';
import { languagesAskedFor } from '$lib/server/http/accept-language.js';

/** The cookie that hides the offer of the page in the browser's language once it is declined. */
export const languageOfferCookie = 'od_language_offer';

/**
 * Remembers that the offer was declined, for this browser session only, like the quick-exit
 * notice's cookie (exit-notice.ts): a lasting cookie would be a trace of the visit.
 */
export function dismissLanguageOffer(cookies: Cookies): void {
	cookies.set(languageOfferCookie, 'seen', { path: '/', httpOnly: true, sameSite: 'lax' });
}

/** The site's language a browser asks for first, if it asks for any the site speaks. */
export function preferredLanguage(acceptLanguage: string | null): Locale | null {
	return languagesAskedFor(acceptLanguage).find(isLocale) ?? null;
}

/**
 * Whether the page may carry the offer at all: not once declined, and not to a signed-in person,
 * who chose their language long before. Where it may, the page depends on `Accept-Language`.
 */
export function offerMayShow(cookies: Cookies, signedIn: boolean): boolean {
	return !signedIn && cookies.get(languageOfferCookie) !== 'seen';
}

/** The offer, written in the language it offers, so that someone who reads only that can act on it. */
export interface LanguageOffer {
	lang: Locale;
	dir: 'ltr' | 'rtl';
	/** The same page in that language. */
	href: string;
	label: string;
	link: string;
	dismiss: string;
}

/**
 * The page in the browser's own language, offered when that is a language the site speaks and
 * not the page's (never a redirect: a shared link, or a choice made on /language, stands).
 */
export function languageOffer(
	acceptLanguage: string | null,
	page: { lang: Locale; path: string }
): LanguageOffer | null {
	const lang = preferredLanguage(acceptLanguage);
	if (!lang || lang === page.lang) return null;
	const t = fixedT(lang);
	return {
		lang,
		dir: directionOf(lang),
		href: localizePath(page.path, lang),
		label: t('common.languageOffer.label'),
		link: t('common.languageOffer.link'),
		dismiss: t('common.languageOffer.dismiss')
	};
}
