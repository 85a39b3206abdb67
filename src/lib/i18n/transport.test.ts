import { describe, expect, it } from 'vitest';
import { messagesFor } from '$lib/server/i18n';
import { messagesBlock, pageMessages } from './transport';

describe('a hydrating page’s messages', () => {
	it('travel in its data as an id, and in the page as one data block made once per language', () => {
		const arabic = messagesFor('ar', ['common', 'my']);
		const id = pageMessages.encode(arabic);
		expect(id).toBe('ar|common,my');
		// What SvelteKit writes into the page's data for them, and the block the shell adds.
		const block = messagesBlock(`<script>data: {messages:app.decode('PageMessages', "${id}")}`);
		const json = /^<script type="application\/json" id="od-messages">(.*)<\/script>$/s.exec(block);
		expect(JSON.parse(json![1]!)).toEqual(arabic);
		// Made once: the same string for every page.
		expect(messagesBlock(`app.decode('PageMessages', "${id}")`)).toBe(block);
		// Nothing in a message can close the block early.
		expect(json![1]).not.toContain('<');
		// Typed text that reads like the marker, shown in the page before its data, is not believed.
		const typed = `app.decode('PageMessages', "en|common")`;
		expect(
			messagesBlock(`<p>${typed}</p><script>data: {messages:app.decode('PageMessages', "${id}")}`)
		).toBe(block);
	});

	it('add nothing to a page that does not hydrate, and leave every other value to SvelteKit', () => {
		expect(messagesBlock('<main>A content page</main>')).toBe('');
		// A copy (what a client-side navigation's data gets) is serialised whole, as any object.
		expect(pageMessages.encode({ ...messagesFor('en', ['common']) })).toBe(false);
		expect(pageMessages.encode({ common: { skipLink: 'Skip' } })).toBe(false);
	});
});
