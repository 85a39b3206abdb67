import type { Transporter } from '@sveltejs/kit';
import { browser } from '$app/environment';
import type { Messages } from './index';

// A hydrating page needs its messages in the browser. Written into the page's data, SvelteKit
// walks and escapes them again for every request (devalue: a tenth of a signed-in `GET /my`'s
// server time). Written into the page as one data block, they were still 23 KB of every portal
// page's 32 (6 KB of its 10 gzipped), downloaded again with each page a person opened, since a
// signed-in page is never cached; and moving them cost the server about 8% of `GET /my` (an A/B
// of the two builds; SvelteKit's ETag hashes every character of a page in JavaScript).
//
// Instead each language's merged messages for a set of namespaces, made once by the server
// (`messagesFor` in server/i18n.ts), is registered here under an id, and made once into a small
// script whose address carries a hash of its content (`/i18n/<lang>/<namespaces>.<hash>.js`,
// routes/i18n): the browser keeps it for a year and fetches it again only when the messages
// change. The page's data carries only the id; the shell hook puts the script's tag just before
// SvelteKit's start-up script (`withMessages`), so it has run when the page hydrates. Should it
// not load (a dropped connection), the start-up stops at the id below and the page stays as the
// server rendered it, working as it does without JavaScript; it never turns into an error page.
// A client-side navigation's data (`__data.json`) names the messages too (`MessagesRef`, with
// their script's address): the root layout's load in the browser (routes/+layout.ts) takes them
// from the script this tab has already run, or loads it first when the new page needs another
// set. Without that, every click carried them whole again: 23 KB in the portal, more in the console.

/** A registered set of messages: its script and the script's address. */
type Sent = { id: string; script: string; src: string };

/** The id of each registered messages object, and each id's script (server only). */
const ids = new WeakMap<object, string>();
const sent = new Map<string, Sent>();

/** Where the scripts are served (routes/i18n/[lang]/[file]). */
export const messagesPath = '/i18n/';

/**
 * Registers `messages` (kept unchanged for as long as the server runs) as those of `lang` for
 * `namespaces`, and makes their script.
 */
export function sendOnce<M extends Messages>(
	messages: M,
	lang: string,
	namespaces: readonly string[]
): M {
	const id = `${lang}|${namespaces.join(',')}`;
	ids.set(messages, id);
	// JSON.parse of a string, not an object literal: a key reading "__proto__" stays a key.
	const script = `(self.odMessages = self.odMessages || {})[${JSON.stringify(id)}] = JSON.parse(${JSON.stringify(JSON.stringify(messages))});\n`;
	const src = `${messagesPath}${lang}/${namespaces.join(',')}.${contentHash(script)}.js`;
	sent.set(id, { id, script, src });
	return messages;
}

/** The registered script of `lang`'s messages for a namespace set (joined by commas), if any. */
export function sentScript(lang: string, namespaces: string): Sent | undefined {
	return sent.get(`${lang}|${namespaces}`);
}

/**
 * A short hash of a script's text for its address: 53 bits of cyrb53 (public domain), in base 36.
 * Not for security: it only has to change when the messages do.
 */
export function contentHash(text: string): string {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ code, 2654435761);
		h2 = Math.imul(h2 ^ code, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

// How SvelteKit writes a transported value into the page's data (its render.js). Should that ever
// change, the page would come without its script and would not hydrate: the browser tests of
// every enhanced form and of the messages' polling fail.
const marker = "app.decode('PageMessages', \"";

/**
 * The rendered page with its messages' script put just before SvelteKit's start-up script, or
 * as it was when it has no messages to send. The page's data script comes after everything the
 * page shows, and what people typed is escaped inside it (`\"`, and `<` as `\u003C`), so the last
 * marker is SvelteKit's: an earlier one is typed text (a message reading
 * `app.decode('PageMessages', "…")`), never to be believed.
 */
export function withMessages(html: string): string {
	const start = html.lastIndexOf(marker);
	if (start < 0) return html;
	const id = html.slice(start + marker.length, html.indexOf('"', start + marker.length));
	const messages = sent.get(id);
	// The start-up script that holds the marker; nothing typed can open a tag inside it.
	const startUp = html.lastIndexOf('<script', start);
	if (!messages || startUp < 0) return html;
	return `${html.slice(0, startUp)}<script src="${messages.src}"></script>${html.slice(startUp)}`;
}

/** The page's messages script did not run: SvelteKit must not start, or go on client-side. */
class MessagesMissing extends Error {}

if (browser) {
	// The stop below is on purpose, and the browser has already said which script failed to load:
	// a warning, not an error about a promise nobody caught.
	window.addEventListener('unhandledrejection', (event) => {
		if (!(event.reason instanceof MessagesMissing)) return;
		event.preventDefault();
		console.warn(event.reason.message);
	});
}

/** Registered messages named by a client-side navigation's data, not sent in it. */
export class MessagesRef {
	constructor(
		readonly id: string,
		readonly src: string
	) {}
}

/** A reference to registered messages (server only); undefined for any other object. */
export function refTo(messages: Messages): MessagesRef | undefined {
	const id = ids.get(messages);
	const registered = id === undefined ? undefined : sent.get(id);
	return registered && new MessagesRef(registered.id, registered.src);
}

/** How a reference to messages travels in a client-side navigation's data (`transport`). */
export const messagesRef: Transporter<MessagesRef, [string, string]> = {
	encode: (value) => value instanceof MessagesRef && [value.id, value.src],
	decode: ([id, src]) => new MessagesRef(id, src)
};

/**
 * In the browser: the messages a reference names, from the script this tab has run, or after
 * loading it (its address is immutable, so usually from the browser's cache).
 */
export async function resolveMessages(ref: MessagesRef): Promise<Messages> {
	const loaded = () =>
		(globalThis as { odMessages?: Record<string, Messages> }).odMessages?.[ref.id];
	if (!loaded()) {
		await new Promise<void>((resolve, reject) => {
			const script = document.createElement('script');
			script.src = ref.src;
			script.onload = () => resolve();
			script.onerror = () => reject(new MessagesMissing(`The messages (${ref.id}) did not load.`));
			document.head.append(script);
		});
	}
	const messages = loaded();
	if (!messages) throw new MessagesMissing(`The messages (${ref.id}) did not load.`);
	return messages;
}

/** How a page's messages travel (`transport` in hooks.ts). */
export const pageMessages: Transporter<Messages, string> = {
	encode: (value) => {
		const id = typeof value === 'object' && value !== null ? ids.get(value) : undefined;
		return id ?? false;
	},
	decode: (id) => {
		const loaded = (globalThis as { odMessages?: Record<string, Messages> }).odMessages?.[id];
		// Thrown while the start-up script builds SvelteKit's arguments: it never starts, and the
		// page stays as served.
		if (!loaded) {
			throw new MessagesMissing(
				`The page's messages (${id}) did not load: it works as it does without JavaScript.`
			);
		}
		return loaded;
	}
};
