import { expect, test, type APIRequestContext } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseURL } from '../../playwright.config';
import { locales } from '../../src/lib/i18n/locales';
import { messages } from './messages';

// Someone searching in their own language finds the public information pages; nothing private
// (the referral, sign-in, the portal, the console) ever asks to be listed. Plain HTTP: what a
// crawler reads.

const listed = [
	'/',
	'/court',
	...['before', 'day', 'after', 'rights', 'glossary'].map((p) => `/court/${p}`),
	...['safety', 'help', 'privacy', 'accessibility'].map((p) => `/${p}`)
];
const urlOf = (code: string, path: string) =>
	code === 'en' ? path : path === '/' ? `/${code}` : `/${code}${path}`;
const noindex = /<meta name="robots" content="noindex, nofollow"/;
const description = (html: string) =>
	/<meta name="description" content="([^"]+)"/.exec(html)?.[1] ?? null;
const hreflangs = (html: string) =>
	[...html.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/g)].map(
		([, lang, href]) => `${lang} ${href}`
	);
const private_ = ['/refer', '/refer/who', '/sign-in', '/offline', '/staff/sign-in', '/pl/refer'];

async function expectListed(
	request: APIRequestContext,
	origin: string,
	code: string,
	paths: readonly string[]
) {
	for (const path of paths) {
		const url = urlOf(code, path);
		// Twice: the second answer is the copy server.js keeps in memory.
		for (const round of ['rendered', 'kept']) {
			const response = await request.get(origin + url, { headers: { cookie: '' } });
			expect(response.status(), url).toBe(200);
			const html = await response.text();
			expect(html, `${url} ${round}`).not.toMatch(noindex);
			expect(description(html), `${url} ${round}`).toBeTruthy();
			expect(hreflangs(html).sort(), `${url} ${round}`).toEqual(
				[
					...locales.map((l) => `${l.code} ${origin}${urlOf(l.code, path)}`),
					`x-default ${origin}${path}`
				].sort()
			);
		}
	}
}

test('every public information page in every language can be listed, with its description and languages @once', async ({
	request
}) => {
	// Every page in a left-to-right and a right-to-left language; two pages in each of the rest
	// (that each language has every description is a unit test: locales.test.ts).
	for (const { code } of locales) {
		const all = code === 'en' || code === 'ar';
		await expectListed(request, baseURL, code, all ? listed : ['/', '/court/rights']);
	}
	// The description is the page's own language, not English.
	const polish = await (await request.get('/pl/safety')).text();
	expect(description(polish)).toBe(
		(messages('pl') as unknown as { meta: { description: { safety: string } } }).meta.description
			.safety
	);
});

test('private pages ask not to be listed, and robots.txt lets crawlers reach public pages only @once', async ({
	request
}) => {
	for (const url of [...private_, '/no-such-page']) {
		const html = await (await request.get(url, { maxRedirects: 0 })).text();
		expect(html, url).toMatch(noindex);
		expect(description(html), url).toBeNull();
	}
	const robots = await (await request.get('/robots.txt')).text();
	expect(robots).toMatch(/^Disallow: \/$/m);
	expect(robots).toContain('Allow: /pl/court/rights$');
	expect(robots).toContain(`Sitemap: ${baseURL}/sitemap.xml`);
	for (const prefix of ['/refer', '/sign-in', '/my', '/staff', '/partner', '/quick-exit']) {
		expect(robots).not.toMatch(new RegExp(`^Allow: (/[a-z]{2})?${prefix}`, 'm'));
	}
});

test('the sitemap lists every public page in every language at the public address @once', async ({
	request
}) => {
	const response = await request.get('/sitemap.xml');
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toMatch(/application\/xml/);
	const locs = [...(await response.text()).matchAll(/<loc>([^<]+)<\/loc>/g)].map(([, u]) => u);
	const expected = locales.flatMap(({ code }) => listed.map((p) => baseURL + urlOf(code, p)));
	expect(locs.sort()).toEqual(expected.sort());
});

async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

test('INDEXING=off puts noindex on every page and offers no sitemap; PSEUDO_LOCALE=off serves no pseudo-language @once', async ({
	request
}) => {
	const port = await freePort();
	const origin = `http://localhost:${port}`;
	const child = spawn(process.execPath, ['server.js'], {
		env: {
			...process.env,
			NODE_ENV: 'test',
			PORT: String(port),
			ORIGIN: origin,
			OUTBOX_INTERVAL_MS: '60000',
			DATA_KEY: 'off:' + Buffer.alloc(32, 3).toString('base64'),
			DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'onedoor-search-')), 'onedoor.db'),
			INDEXING: 'off',
			PSEUDO_LOCALE: 'off'
		}
	});
	try {
		await new Promise<void>((resolve, reject) => {
			child.stdout.on('data', (chunk) => String(chunk).includes('is listening') && resolve());
			child.on('exit', () => reject(new Error('the server stopped')));
		});
		for (const url of ['/', '/pl/court/rights', '/ar/safety', '/refer']) {
			for (const round of ['rendered', 'kept']) {
				const html = await (await request.get(origin + url)).text();
				expect(html, `${url} ${round}`).toMatch(noindex);
				expect(hreflangs(html), `${url} ${round}`).toEqual([]);
			}
		}
		expect((await request.get(`${origin}/sitemap.xml`)).status()).toBe(404);
		const robots = await (await request.get(`${origin}/robots.txt`)).text();
		expect(robots).toMatch(/^Disallow: \/$/m);
		expect(robots).not.toMatch(/Allow|Sitemap/);
		// As in production, where it cannot be turned on: the made-up language is not there.
		expect((await request.get(`${origin}/en-XA/court`)).status()).toBe(404);
	} finally {
		child.kill();
	}
});
