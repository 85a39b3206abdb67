import { describe, expect, it } from 'vitest';
import { messagesFor, messagesScript } from '$lib/server/i18n';
import {
	contentHash,
	MessagesRef,
	messagesRef,
	pageMessages,
	refTo,
	sentScript,
	withMessages
} from './transport';

/** What SvelteKit writes at the end of a hydrating page: its start-up script, with the id. */
const startUp = (id: string) =>
	`<script nonce="abc">kit.start(app, element, {data: [{messages:app.decode('PageMessages', "${id}")}]})</script>`;

/** Runs a messages script as the browser would, into a window of its own. */
function run(script: string): Record<string, unknown> {
	const self: { odMessages?: Record<string, unknown> } = {};
	new Function('self', script)(self);
	return self.odMessages ?? {};
}

describe('a hydrating page’s messages', () => {
	it('travel in its data as an id, and as a script of their own named just before SvelteKit starts', () => {
		const arabic = messagesFor('ar', ['common', 'my']);
		const id = pageMessages.encode(arabic);
		expect(id).toBe('ar|common,my');
		const page = `<main><p>Your case</p></main>${startUp(id as string)}`;
		const sent = sentScript('ar', 'common,my')!;
		expect(sent.src).toMatch(/^\/i18n\/ar\/common,my\.[0-9a-z]+\.js$/);
		// The script's tag comes before the start-up script, so it has run when the page hydrates.
		expect(withMessages(page)).toBe(
			`<main><p>Your case</p></main><script src="${sent.src}"></script>${startUp(id as string)}`
		);
		// The script gives the browser the very messages, under the id the page's data names.
		expect(run(sent.script)).toEqual({ [id as string]: arabic });
	});

	it('reach the page from the script; without it, SvelteKit is stopped before it starts', () => {
		const id = pageMessages.encode(messagesFor('en', ['common', 'court'])) as string;
		const browser = globalThis as { odMessages?: unknown };
		try {
			// Thrown while the start-up script builds SvelteKit's arguments: the page stays as served.
			expect(() => pageMessages.decode(id)).toThrow(/did not load/);
			new Function('self', sentScript('en', 'common,court')!.script)(globalThis);
			expect(pageMessages.decode(id)).toEqual(messagesFor('en', ['common', 'court']));
		} finally {
			delete browser.odMessages;
		}
	});

	it('are made once, and their address changes only when they do', () => {
		messagesFor('en', ['common']);
		const first = sentScript('en', 'common')!;
		messagesFor('en', ['common']);
		expect(sentScript('en', 'common')).toBe(first);
		expect(contentHash('a')).not.toBe(contentHash('b'));
		expect(contentHash('Twoja sprawa')).toBe(contentHash('Twoja sprawa'));
	});

	it('believe only the last mark in a page: one earlier is typed text', () => {
		const id = pageMessages.encode(messagesFor('pl', ['common', 'my'])) as string;
		const src = sentScript('pl', 'common,my')!.src;
		// Typed text that reads like the marker, shown in the page before its data.
		const typed = `<p>app.decode('PageMessages', "en|common")</p>`;
		expect(withMessages(`${typed}${startUp(id)}`)).toBe(
			`${typed}<script src="${src}"></script>${startUp(id)}`
		);
	});

	it('add nothing to a page that does not hydrate, and leave every other value to SvelteKit', () => {
		expect(withMessages('<main>A content page</main>')).toBe('<main>A content page</main>');
		// An id no server registered (typed into a page that has no messages of its own).
		const unknown = `<p>x</p>${startUp('xx|common')}`;
		expect(withMessages(unknown)).toBe(unknown);
		// Any other object, a copy of registered messages among them, is serialised whole.
		expect(pageMessages.encode({ ...messagesFor('en', ['common']) })).toBe(false);
		expect(pageMessages.encode({ common: { skipLink: 'Skip' } })).toBe(false);
	});

	it('are served only for a language and a set of namespaces some page sends', () => {
		expect(messagesScript('pl', 'common,errors,my')?.src).toMatch(
			/^\/i18n\/pl\/common,errors,my\.[0-9a-z]+\.js$/
		);
		expect(messagesScript('xx', 'common,errors,my')).toBeUndefined();
		// Every other order or choice of namespaces would be more for the server to merge and keep.
		expect(messagesScript('pl', 'my,common,errors')).toBeUndefined();
		expect(messagesScript('pl', 'common,errors,my,staff')).toBeUndefined();
	});

	it('are named, not sent, in a client-side navigation’s data', () => {
		const polish = messagesFor('pl', ['common', 'errors', 'my']);
		const ref = refTo(polish)!;
		expect(ref).toEqual(
			new MessagesRef('pl|common,errors,my', sentScript('pl', 'common,errors,my')!.src)
		);
		// What travels is the id and the script's address, and the browser gets the reference back.
		const sent = messagesRef.encode(ref);
		expect(sent).toEqual([ref.id, ref.src]);
		expect(messagesRef.decode(sent as [string, string])).toEqual(ref);
		// Messages made for one request (the pseudo-language's) are not registered: sent whole.
		expect(refTo({ common: { skipLink: 'Skip' } })).toBeUndefined();
		expect(messagesRef.encode(polish as unknown as MessagesRef)).toBe(false);
	});
});
