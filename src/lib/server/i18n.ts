import i18next, { type TFunction } from 'i18next';
import { i18nextOptions, type Messages } from '$lib/i18n';
import { defaultLocale, locales, type Locale } from '$lib/i18n/locales';

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
export function fixedT(lang: Locale): TFunction {
	return instance.getFixedT(lang);
}

/** The messages of a language for the given namespaces, as the shell sends them to the page. */
export function messagesFor(lang: Locale, namespaces: readonly string[]): Messages {
	const all = catalogue[lang] ?? {};
	const fallback = catalogue[defaultLocale] ?? {};
	return Object.fromEntries(
		namespaces.map((namespace) => [namespace, all[namespace] ?? fallback[namespace] ?? {}])
	);
}

/** The namespaces a page needs: the shared ones plus the one named after its first path segment. */
export function namespacesForRoute(routeId: string | null): string[] {
	const segments = (routeId ?? '')
		.split('/')
		.filter((segment) => segment && !segment.startsWith('(') && !segment.startsWith('[['));
	// `sign-in` pages read the `signIn` namespace.
	const first =
		routeId === null
			? undefined
			: (segments[0] ?? 'home').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
	// A parameter segment (`[page=content]`) names no namespace of its own.
	const namespaces =
		first && !first.startsWith('[') ? ['common', 'errors', first] : ['common', 'errors'];
	// Choosing a new passphrase reuses the referral's passphrase wording and rule.
	if (first === 'signIn') namespaces.push('refer');
	// Changing one's details asks the referral's own questions again.
	if (first === 'my' && routeId?.includes('/my/details')) namespaces.push('refer');
	return namespaces;
}
