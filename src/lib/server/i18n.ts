import i18next from 'i18next';
import { createT, i18nextOptions, type Messages, type Translate } from '$lib/i18n';
import { pseudoMessages } from '$lib/i18n/pseudo';
import { sendOnce, sentScript } from '$lib/i18n/transport';
import { routeNamespaces, shellNamespaces, type Namespace } from '$lib/i18n/namespaces';
import { defaultLocale, isLocale, locales, type Locale } from '$lib/i18n/locales';

// Every `locales/<lang>/<namespace>.json`, bundled into the server at build time.
const files = import.meta.glob<Messages>('../i18n/locales/*/*.json', {
	eager: true,
	import: 'default'
});

/** All messages, by language then namespace. */
export const catalogue: Record<string, Record<string, Messages>> = {};
for (const [file, messages] of Object.entries(files)) {
	const match = /locales\/([^/]+)\/([^/]+)\.json$/.exec(file);
	if (!match) continue;
	const [, lang, namespace] = match as unknown as [string, string, string];
	(catalogue[lang] ??= {})[namespace] = messages;
}

const instance = i18next.createInstance({
	...i18nextOptions,
	fallbackLng: defaultLocale,
	supportedLngs: locales.map((locale) => locale.code),
	resources: Object.fromEntries(
		Object.entries(catalogue).map(([lang, namespaces]) => [lang, { translation: namespaces }])
	)
});
void instance.init();

/** One fixed-language translate function for a request; never `changeLanguage` on the server. */
export function fixedT(lang: Locale): Translate {
	return instance.getFixedT(lang) as Translate;
}

const merged = new Map<string, Messages>();

/**
 * The messages of a language for the given namespaces, as the shell sends them to the page. A
 * file or a key the language lacks is taken from English, as the server's own `fixedT` does, so
 * a page shows English rather than a raw key; `locales.test.ts` lists every key still missing.
 * Merged once per language and namespace set and the same object returned after that, so the
 * page's translate function (`createT`, keyed by this object) is made once too, and so is what a
 * hydrating page sends the browser (`sendOnce`). Read-only.
 */
export function messagesFor(lang: Locale, namespaces: readonly Namespace[]): Messages {
	const key = `${lang}|${namespaces.join(',')}`;
	let messages = merged.get(key);
	if (!messages) {
		merged.set(key, (messages = sendOnce(mergeFor(lang, namespaces), lang, namespaces)));
	}
	return messages;
}

/** Every namespace set a page asks for (`namespacesForRoute`), joined by commas. */
const pageNamespaceSets = new Map<string, Namespace[]>(
	[...Object.values(routeNamespaces), []].flatMap((own) => {
		if (own === null) return [];
		const namespaces: Namespace[] = [...shellNamespaces, ...own];
		return [[namespaces.join(','), namespaces]];
	})
);

/**
 * The script of a language's messages for a namespace set some page sends (joined by commas),
 * made if no page has asked for it since the server started; undefined for any other language
 * or set, so that an address made up cannot make the server merge and keep more.
 */
export function messagesScript(lang: string, namespaces: string) {
	const set = pageNamespaceSets.get(namespaces);
	if (!isLocale(lang) || !set) return undefined;
	messagesFor(lang, set);
	return sentScript(lang, namespaces);
}

function mergeFor(lang: Locale, namespaces: readonly Namespace[]): Messages {
	const all = catalogue[lang] ?? {};
	const fallback = catalogue[defaultLocale] ?? {};
	return Object.fromEntries(
		namespaces.map((namespace) => [namespace, withFallback(all[namespace], fallback[namespace])])
	);
}

/** A language's messages with every key it lacks filled in from English. */
export function withFallback(
	messages: Messages | undefined,
	english: Messages | undefined
): Messages {
	if (!messages) return english ?? {};
	if (!english) return messages;
	const merged: Messages = { ...english };
	for (const [key, value] of Object.entries(messages)) {
		const source = english[key];
		merged[key] = isGroup(value) && isGroup(source) ? withFallback(value, source) : value;
	}
	return merged;
}

const isGroup = (value: unknown): value is Messages =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

export { namespacesForRoute } from '$lib/i18n/namespaces';

/** The pseudo-language's translate function over every English message (development and tests). */
export function pseudoT(): Translate {
	return createT(defaultLocale, pseudoMessages(catalogue[defaultLocale] ?? {}));
}

/** The messages a page gets, in the pseudo-language when the request is in it. */
export function pageMessages(
	lang: Locale,
	namespaces: readonly Namespace[],
	pseudo: boolean
): Messages {
	const messages = messagesFor(lang, namespaces);
	return pseudo ? pseudoMessages(messages) : messages;
}
