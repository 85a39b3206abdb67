import i18next, { type TFunction } from 'i18next';
import { directionOf, localizePath, type Locale, type TextDirection } from './locales';

export type Messages = { [key: string]: string | string[] | Messages };

/** What the page shell hands to every component: the language, its direction and its messages. */
export interface I18nData {
	lang: Locale;
	dir: TextDirection;
	/** The path of the current page without its language prefix, for the language picker. */
	path: string;
	messages: Messages;
}

/** Shared i18next options: Svelte escapes output itself, and a missing key must show, not blank. */
export const i18nextOptions = {
	interpolation: { escapeValue: false },
	returnNull: false,
	returnEmptyString: false,
	initAsync: false
} as const;

/** A fixed-language translate function over one language's messages. */
export function createT(lang: Locale, messages: Messages): TFunction {
	const instance = i18next.createInstance({
		...i18nextOptions,
		lng: lang,
		fallbackLng: false,
		resources: { [lang]: { translation: messages } }
	});
	void instance.init();
	return instance.getFixedT(lang);
}

/** Everything a component needs to speak the page's language. */
export interface I18n {
	t: TFunction;
	lang: Locale;
	dir: TextDirection;
	/** Turns a site path (`/refer`) into the path in the page's language (`/pl/refer`). */
	href: (path: string) => string;
}

/** Builds the component-side i18n helpers from the shell's data. */
export function createI18n(data: I18nData): I18n {
	return {
		t: createT(data.lang, data.messages),
		lang: data.lang,
		dir: directionOf(data.lang),
		href: (path: string) => localizePath(path, data.lang)
	};
}
