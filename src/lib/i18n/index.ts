import i18next, { type CustomTypeOptions, type TOptions } from 'i18next';
import { directionOf, localizePath, type Locale, type TextDirection } from './locales';

export type Messages = { [key: string]: string | string[] | Messages };

/** The English messages, one object per file: the shape every key is checked against. */
type English = CustomTypeOptions['resources']['translation'];

/**
 * Every message key English has, as `file.path` (`common.form.yes`), a plural also by its base
 * name (`my.nav.unread` for `my.nav.unread_one`…), a list (`home.who`) by its own name.
 */
export type MessageKey = KeysOf<English>;
type KeysOf<T, Prefix extends string = ''> = {
	[K in keyof T & string]: T[K] extends string | readonly unknown[]
		? `${Prefix}${K}` | (K extends `${infer Base}_${PluralForm}` ? `${Prefix}${Base}` : never)
		: KeysOf<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
type PluralForm = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';

/** The paths of message groups (objects of labels), `staff.status`, `my.roles`, `refer.needs`. */
export type MessageGroup = GroupsOf<English>;
type GroupsOf<T, Prefix extends string = ''> = {
	[K in keyof T & string]: T[K] extends string | readonly unknown[]
		? never
		: `${Prefix}${K}` | GroupsOf<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** The names a group has labels for: `LabelsIn<'refer.who'>` is `'victim' | 'witness' | …`. */
export type LabelsIn<G extends MessageGroup> = MessageKey extends infer K
	? K extends `${G}.${infer Name}`
		? Name
		: never
	: never;

/**
 * What `t` accepts. A written key must exist in English exactly, and so must every member of a
 * union (`my.roles.${'caseworker' | 'supervisor'}`). A key built from data the type system
 * cannot see (`staff.status.${row.status}`, a `string` from the database) must at least name a
 * real group; `server/i18n.test.ts` checks every value of the service's vocabularies has a
 * label in that group. A key that is wholly data (a valibot message) goes through `messageKey()`.
 */
export type CheckedKey<K extends string> = K extends MessageKey
	? K
	: true extends OpenIn<K, MessageGroup>
		? K
		: never;
// Checked group by group: `${number}` fits a tail that is `string` or `${number}`, not a word.
type OpenIn<K extends string, G extends string> = G extends string
	? K extends `${G}.${infer Tail}`
		? `${number}` extends Tail
			? true
			: false
		: false
	: never;

/** The translate function every page, component and server module uses. */
export interface Translate {
	<const K extends AnyKey>(
		key: K & CheckedKey<K>,
		options: TOptions & { returnObjects: true }
	): unknown;
	<const K extends AnyKey>(key: K & CheckedKey<K>, options?: TOptions): string;
}
type AnyKey = MessageKey | `${MessageGroup}.${string}`;

/**
 * The one place a key that is data becomes a `MessageKey`: a valibot schema's message, or an
 * error key a server action returned. `server/i18n.test.ts` checks every schema message exists
 * in English; an unknown key is left as it is, so i18next shows the key rather than nothing.
 */
export function messageKey(key: string): MessageKey {
	return key as MessageKey;
}

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

// One i18next instance per messages object and language, made once: the server hands every
// request of a language and route family the same `messagesFor` object, so rendering a page
// builds no instance (issue #14's profile found one built per request). Weak, so a browser's
// per-navigation copies go with their page.
const made = new WeakMap<Messages, Map<Locale, Translate>>();

/** A fixed-language translate function over one language's messages, made once per object. */
export function createT(lang: Locale, messages: Messages): Translate {
	let byLang = made.get(messages);
	if (!byLang) made.set(messages, (byLang = new Map()));
	let t = byLang.get(lang);
	if (!t) byLang.set(lang, (t = newT(lang, messages)));
	return t;
}

function newT(lang: Locale, messages: Messages): Translate {
	const instance = i18next.createInstance({
		...i18nextOptions,
		lng: lang,
		fallbackLng: false,
		resources: { [lang]: { translation: messages } }
	});
	void instance.init();
	return remembering(instance.getFixedT(lang) as Translate);
}

/** More keys than any page's namespaces hold: past it, nothing more is remembered. */
const rememberAtMost = 5000;

/**
 * `t` with each plain key's text remembered: the messages never change once made, and a
 * 50-row queue asks i18next for the same few labels 300 times (a quarter of the page's time,
 * measured). A call with options (a count, a value to put in) goes to i18next every time.
 */
function remembering(t: Translate): Translate {
	const texts = new Map<string, string>();
	const remembered = (key: string, options?: object): unknown => {
		if (options !== undefined) return (t as (k: string, o: object) => unknown)(key, options);
		let text = texts.get(key);
		if (text === undefined) {
			text = (t as (k: string) => string)(key);
			if (texts.size < rememberAtMost) texts.set(key, text);
		}
		return text;
	};
	return remembered as Translate;
}

/** Everything a component needs to speak the page's language. */
export interface I18n {
	t: Translate;
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
