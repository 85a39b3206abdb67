import { expect, test } from '@playwright/test';
import { locales } from '../../src/lib/i18n/locales';
import { newPerson } from './people';

// The pseudo-language (src/lib/i18n/pseudo.ts) shows every translated word ⟦áççéñţéð⟧: any plain
// English left on a page never went through the message files, and a person reading another
// language would see it in English. Plain HTTP: the server's HTML is what people get.

const pages = [
	'/',
	'/court',
	'/court/day',
	'/court/glossary',
	'/safety',
	'/help',
	'/privacy',
	'/accessibility',
	'/offline',
	'/refer',
	'/refer/safe-now',
	'/sign-in',
	'/sign-in/email',
	'/no-such-page'
];

/**
 * Words a page may show untranslated: the service's configured name, and each language's own name
 * in the language picker (an endonym, marked with its `lang`, is the same in every language).
 */
const allowed = new RegExp(
	`(?<=^|\\s)(OneDoor|${locales.map((l) => l.name).join('|')})(?=\\s|$)`,
	'gu'
);

/** The text a person reads or hears: text between tags and the attributes read out. */
function readable(html: string): string[] {
	const body = html
		.slice(html.indexOf('<body'))
		.replace(/<script[\s\S]*?<\/script>/g, '')
		.replace(/<style[\s\S]*?<\/style>/g, '')
		// A date is written by Intl from the page's language, not from a message file.
		.replace(/<time[^>]*>[^<]*<\/time>/g, '');
	const texts = [...body.matchAll(/>([^<]+)</g)].map(([, text]) => text ?? '');
	const attributes = [...body.matchAll(/\s(?:aria-label|alt|title|placeholder)="([^"]*)"/g)].map(
		([, text]) => text ?? ''
	);
	const head = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
	return [head, ...texts, ...attributes]
		.map((text) => text.replace(/&[#a-z0-9]+;/gi, ' ').trim())
		.filter((text) => text !== '');
}

/** What is left of a text once its pseudo-language parts are taken out, if it has English words. */
function english(text: string): string | null {
	const rest = text
		.replace(/⟦[^⟧]*⟧/g, ' ')
		.replace(allowed, ' ')
		.trim();
	return /[A-Za-z]{2,}/.test(rest) ? rest : null;
}

test('every page in the pseudo-language has no plain English left @once', async ({ request }) => {
	const found: string[] = [];
	for (const path of pages) {
		const url = `/en-XA${path === '/' ? '' : path}`;
		const response = await request.get(url, { maxRedirects: 0 });
		expect([200, 404], url).toContain(response.status());
		const html = await response.text();
		expect(html, url).toMatch(/<html[^>]* lang="en-XA"/);
		for (const text of readable(html)) {
			const left = english(text);
			if (left) found.push(`${url}: ${left}`);
		}
	}
	expect([...new Set(found)]).toEqual([]);
});

test('a signed-in person’s pages in the pseudo-language have no plain English left @once', async ({
	browser
}) => {
	const person = await newPerson();
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto('/sign-in');
	await page.getByLabel('Case reference').fill(person.reference);
	await page.getByLabel('Passphrase').fill(person.passphrase);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/my$/);
	const found: string[] = [];
	for (const path of ['/my', '/my/court', '/my/messages', '/my/settings', '/my/details']) {
		const url = `/en-XA${path}`;
		const response = await context.request.get(url, { maxRedirects: 0 });
		expect(response.status(), url).toBe(200);
		for (const text of readable(await response.text())) {
			// The person's own case reference is theirs, in no language.
			const left = english(text.replace(person.reference, ' '));
			if (left) found.push(`${url}: ${left}`);
		}
	}
	await context.close();
	expect([...new Set(found)]).toEqual([]);
});
