import type { Transporter } from '@sveltejs/kit';
import type { Messages } from './index';

// A hydrating page needs its messages in the browser. Written into the page's data, SvelteKit
// walks and escapes them again for every request (devalue: a tenth of a signed-in `GET /my`'s
// server time). Instead each language's merged messages for a set of namespaces, made once by
// the server (`messagesFor` in server/i18n.ts), is registered here under an id with its JSON,
// made once too. The page's data then carries only the id, and the server's shell hook writes
// the JSON into the page as a data block (`messagesBlock`), which the browser parses back. A
// client-side navigation's data (`__data.json`) must carry them whole: the root layout sends a
// copy there, which is not registered (routes/+layout.server.ts).

/** The id of each registered messages object, and each id's data block (server only). */
const ids = new WeakMap<object, string>();
const blocks = new Map<string, string>();

const blockId = 'od-messages';

/** Registers `messages` (kept unchanged for as long as the server runs) under `id`. */
export function sendOnce<M extends Messages>(messages: M, id: string): M {
	ids.set(messages, id);
	// `<` escaped, so nothing in a message can end the block early.
	const json = JSON.stringify(messages).replaceAll('<', '\\u003c');
	blocks.set(id, `<script type="application/json" id="${blockId}">${json}</script>`);
	return messages;
}

// How SvelteKit writes a transported value into the page's data (its render.js). Should that ever
// change, the page would come without its block and hydration would stop with the error below:
// the browser tests fail on any such error.
const marker = "app.decode('PageMessages', \"";

/**
 * The data block for the messages a rendered page's data refers to, or '' when it has none. The
 * page's data script comes after everything the page shows, and what people typed is escaped
 * inside it (`\"`), so the last marker is SvelteKit's: an earlier one is typed text (a message
 * reading `app.decode('PageMessages', "…")`), never to be believed.
 */
export function messagesBlock(html: string): string {
	const start = html.lastIndexOf(marker);
	if (start < 0) return '';
	const id = html.slice(start + marker.length, html.indexOf('"', start + marker.length));
	return blocks.get(id) ?? '';
}

/** How a page's messages travel (`transport` in hooks.ts). */
export const pageMessages: Transporter<Messages, string> = {
	encode: (value) => {
		const id = typeof value === 'object' && value !== null ? ids.get(value) : undefined;
		return id ?? false;
	},
	decode: (id) => {
		const block = document.getElementById(blockId);
		if (!block?.textContent) throw new Error(`The page's messages (${id}) are not in the page`);
		return JSON.parse(block.textContent) as Messages;
	}
};
