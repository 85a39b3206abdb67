import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { deviceCookie } from '$lib/server/auth/devices';
import { browserCookie } from '$lib/server/auth/email-links';
import { exitNoticeCookie } from '$lib/server/exit-notice';
import { languageOffer, languageOfferCookie } from '$lib/server/language-offer';
import { splitLocale } from '$lib/i18n/locales';
import * as draftCookie from '$lib/server/referrals/draft-cookie';
import { securityHeaders } from '$lib/server/security-headers.js';
import { fetchRaw, serve } from '$lib/server/testing/http';
import { compressRendered } from './compression.js';
import { PageCache, publicPageCookies } from './page-cache.js';

const publicPage = {
	'content-type': 'text/html',
	'cache-control': 'public, max-age=300',
	vary: 'Accept-Encoding, Cookie',
	'content-security-policy': "default-src 'self'; script-src 'self'"
};
const security = Object.entries(securityHeaders(new URL('https://onedoor.example')));

/**
 * The app's stand-in: a page that names its path and what it was rendered for, so a copy served
 * to the wrong person shows. It answers as the hooks do: `public` only for an anonymous visitor.
 */
function render(url: string, headers: IncomingHttpHeaders) {
	const cookie = headers.cookie ?? '';
	const signedIn = cookie.includes('od.session=');
	const notice = !cookie.includes(`${exitNoticeCookie}=seen`);
	const body =
		`<!doctype html><title>${url}</title><h1>Help</h1>` +
		(signedIn ? '<nav>Your case · Sign out</nav>' : '') +
		(notice ? '<aside>Leave this site quickly</aside>' : '') +
		'<p>Support for anyone affected by crime.</p>'.repeat(40);
	return new Response(body, {
		headers: {
			...publicPage,
			...(signedIn ? { 'cache-control': 'no-store' } : {}),
			etag: `"${body.length}"`
		}
	});
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
	await close?.();
	close = undefined;
});

/** A server as server.js makes it, counting the requests that reached the app. */
async function server(
	cache: PageCache,
	app: (url: string, headers: IncomingHttpHeaders) => Response | Promise<Response> = render
) {
	const rendered: string[] = [];
	const started = await serve(
		(request, response) => {
			if (cache.answer(request, response)) return true;
			for (const [name, value] of security) response.setHeader(name, value);
			compressRendered(request, response);
			cache.watch(request, response);
		},
		(url, headers) => {
			rendered.push(`${url} ${headers.cookie ?? ''}`.trim());
			return app(url, headers);
		}
	);
	close = started.close;
	return { url: started.url, rendered };
}

/** Waits until the cache holds this many copies (each is compressed off the main thread). */
const holding = (cache: PageCache, count: number) =>
	vi.waitFor(() => expect(cache.size).toBe(count), { timeout: 2_000 });

describe('PageCache', () => {
	it('answers a public page from memory after its first render, headers and all', async () => {
		const cache = new PageCache();
		const { url, rendered } = await server(cache);
		const first = await fetchRaw(`${url}/help`);
		await holding(cache, 1);
		const again = await fetchRaw(`${url}/help`);
		expect(rendered).toEqual(['/help']);
		expect(again.status).toBe(200);
		expect(again.body.toString()).toBe(first.body.toString());
		for (const [name] of [...security, ...Object.entries(publicPage)]) {
			expect(again.headers[name.toLowerCase()], name).toBe(first.headers[name.toLowerCase()]);
		}
		expect(again.headers['etag']).toBe(first.headers['etag']);
		expect(again.headers['content-length']).toBe(String(first.body.length));
	});

	it('keeps the first-visit notice apart from the page without it', async () => {
		const cache = new PageCache();
		const { url } = await server(cache);
		const seen = { cookie: `${exitNoticeCookie}=seen` };
		await fetchRaw(`${url}/pl/help`);
		await fetchRaw(`${url}/pl/help`, seen);
		await holding(cache, 2);
		expect((await fetchRaw(`${url}/pl/help`)).body.toString()).toContain('Leave this site quickly');
		expect((await fetchRaw(`${url}/pl/help`, seen)).body.toString()).not.toContain(
			'Leave this site quickly'
		);
	});

	it('never answers a signed-in person or an open draft from memory', async () => {
		const cache = new PageCache();
		const { url, rendered } = await server(cache);
		await fetchRaw(`${url}/help`);
		await holding(cache, 1);
		const signedIn = await fetchRaw(`${url}/help`, { cookie: 'od.session=abc' });
		expect(signedIn.body.toString()).toContain('Your case · Sign out');
		expect(signedIn.headers['cache-control']).toBe('no-store');
		const drafting = await fetchRaw(`${url}/help`, {
			cookie: `${exitNoticeCookie}=seen; ${draftCookie.name}=token`
		});
		expect(drafting.status).toBe(200);
		expect(rendered).toEqual([
			'/help',
			'/help od.session=abc',
			`/help ${exitNoticeCookie}=seen; ${draftCookie.name}=token`
		]);
	});

	it('never keeps a page rendered for a signed-in person, even one marked public', async () => {
		const cache = new PageCache();
		// An app that wrongly lets caches keep a signed-in page: the cache still refuses it.
		const { url } = await server(cache, (path, headers) => {
			const page = render(path, headers);
			page.headers.set('cache-control', 'public, max-age=300');
			return page;
		});
		await fetchRaw(`${url}/help`, { cookie: 'od.session=abc' });
		await fetchRaw(`${url}/help`, { cookie: `${exitNoticeCookie}=seen; od.session=abc` });
		const anonymous = await fetchRaw(`${url}/help`);
		expect(anonymous.body.toString()).not.toContain('Your case');
		await holding(cache, 1);
		expect((await fetchRaw(`${url}/help`)).body.toString()).not.toContain('Your case');
	});

	it('ignores only the cookies that change nothing on a public page', async () => {
		const cache = new PageCache();
		const { url, rendered } = await server(cache);
		await fetchRaw(`${url}/help`);
		await holding(cache, 1);
		await fetchRaw(`${url}/help`, { cookie: `${deviceCookie}=sealed; ${browserCookie}=x` });
		expect(rendered).toHaveLength(1);
		for (const cookie of [
			'someone_else=1',
			`${exitNoticeCookie}=se%65n`,
			`${exitNoticeCookie}=seen; ${exitNoticeCookie}=no`,
			'od.session'
		]) {
			await fetchRaw(`${url}/help`, { cookie });
		}
		expect(rendered).toHaveLength(5);
	});

	it("never gives one visitor's language offer to another", async () => {
		const cache = new PageCache();
		// As the people's shell renders it: the offer (the real one) unless it was declined.
		const { url, rendered } = await server(cache, async (path, headers) => {
			const page = render(path, headers);
			const declined = (headers.cookie ?? '').includes(`${languageOfferCookie}=seen`);
			const { lang, path: bare } = splitLocale(path);
			const offer = declined
				? null
				: languageOffer(String(headers['accept-language'] ?? ''), { lang, path: bare });
			const html = (await page.text()).replace('<h1>', `${offer?.link ?? ''}<h1>`);
			return new Response(html, { headers: page.headers });
		});
		const english = { 'accept-language': 'en-GB,en;q=0.9' };
		const spanish = { 'accept-language': 'es-ES,es;q=0.9,en;q=0.5' };
		const offered = 'Ver esta página en español';

		expect((await fetchRaw(`${url}/help`, english)).body.toString()).not.toContain(offered);
		await holding(cache, 1);
		// The English copy in memory has no offer; the Spanish browser is owed one.
		expect((await fetchRaw(`${url}/help`, spanish)).body.toString()).toContain(offered);
		expect((await fetchRaw(`${url}/help`, spanish)).body.toString()).toContain(offered);
		// …and its page, offer and all, is never kept for the next visitor.
		expect((await fetchRaw(`${url}/help`, english)).body.toString()).not.toContain(offered);
		expect((await fetchRaw(`${url}/help`)).body.toString()).not.toContain(offered);
		expect(cache.size).toBe(1);
		expect(rendered).toEqual(['/help', '/help', '/help']);

		// Once declined, the Spanish browser is answered from memory, with no offer.
		const declined = { ...spanish, cookie: `${languageOfferCookie}=seen` };
		expect((await fetchRaw(`${url}/help`, declined)).body.toString()).not.toContain(offered);
		// On the Spanish page itself the Spanish browser needs no offer, and may share a copy.
		await fetchRaw(`${url}/es/help`, spanish);
		await holding(cache, 2);
		expect((await fetchRaw(`${url}/es/help`, spanish)).body.toString()).not.toContain(offered);
		expect(rendered).toEqual(['/help', '/help', '/help', '/es/help']);
	});

	it('names the cookies the app itself uses', () => {
		expect(publicPageCookies.languageOffer.name).toBe(languageOfferCookie);
		expect(publicPageCookies.notice.name).toBe(exitNoticeCookie);
		expect(publicPageCookies.ignored).toEqual([deviceCookie, browserCookie]);
	});

	it('keeps no page that sets a cookie, is not public, failed, or was asked for with a query', async () => {
		const cache = new PageCache();
		const { url, rendered } = await server(cache, (path, headers) => {
			const page = render(path, headers);
			if (path === '/cookie') page.headers.set('set-cookie', 'od_referral=x; Path=/');
			if (path === '/private') page.headers.set('cache-control', 'private, max-age=300');
			if (path === '/missing')
				return new Response('not here', { status: 404, headers: publicPage });
			return page;
		});
		for (const path of ['/cookie', '/private', '/missing', '/help?from=mail']) {
			await fetchRaw(url + path);
			await fetchRaw(url + path);
		}
		expect(rendered).toHaveLength(8);
		expect(cache.size).toBe(0);
	});

	it('sends brotli or gzip made once, each decoding to the page, and HEAD with no body', async () => {
		const cache = new PageCache();
		const { url, rendered } = await server(cache);
		const plain = await fetchRaw(`${url}/court`);
		await holding(cache, 1);
		const br = await fetchRaw(`${url}/court`, { 'accept-encoding': 'gzip, deflate, br' });
		expect(br.headers['content-encoding']).toBe('br');
		expect(brotliDecompressSync(br.body).toString()).toBe(plain.body.toString());
		expect(br.headers['etag']).toBe(`W/${plain.headers['etag']}`);
		const gzip = await fetchRaw(`${url}/court`, { 'accept-encoding': 'gzip' });
		expect(gunzipSync(gzip.body).toString()).toBe(plain.body.toString());
		const head = await fetchRaw(`${url}/court`, { 'accept-encoding': 'br' }, 'HEAD');
		expect(head.status).toBe(200);
		expect(head.body.length).toBe(0);
		expect(head.headers['content-length']).toBe(String(br.body.length));
		expect(rendered).toEqual(['/court']);
	});

	it('answers a copy the browser holds with 304', async () => {
		const cache = new PageCache();
		const { url } = await server(cache);
		const first = await fetchRaw(`${url}/safety`, { 'accept-encoding': 'br' });
		await holding(cache, 1);
		const again = await fetchRaw(`${url}/safety`, {
			'accept-encoding': 'br',
			'if-none-match': String(first.headers['etag'])
		});
		expect(again.status).toBe(304);
		expect(again.body.length).toBe(0);
		expect(again.headers['cache-control']).toBe('public, max-age=300');
		expect(again.headers['x-frame-options']).toBe('DENY');
	});

	it('renders a page again once its max-age has passed', async () => {
		let now = 1_000_000;
		const cache = new PageCache({ now: () => now });
		const { url, rendered } = await server(cache);
		await fetchRaw(`${url}/help`);
		await holding(cache, 1);
		now += 299_000;
		await fetchRaw(`${url}/help`);
		expect(rendered).toHaveLength(1);
		now += 2_000;
		await fetchRaw(`${url}/help`);
		expect(rendered).toHaveLength(2);
	});

	it('holds no more bytes than it may', async () => {
		const cache = new PageCache({ maxTotalBytes: 3_000 });
		const { url, rendered } = await server(cache);
		// The stand-in's page is about 1,800 bytes, and under 400 in each compressed form.
		await fetchRaw(`${url}/help`);
		await holding(cache, 1);
		await fetchRaw(`${url}/safety`);
		await fetchRaw(`${url}/safety`);
		await fetchRaw(`${url}/help`);
		expect(cache.size).toBe(1);
		expect(rendered).toEqual(['/help', '/safety', '/safety']);
	});

	it('holds no more pages than it may', async () => {
		const cache = new PageCache({ maxPages: 2 });
		const { url, rendered } = await server(cache);
		for (const path of ['/help', '/safety']) await fetchRaw(url + path);
		await holding(cache, 2);
		await fetchRaw(`${url}/privacy`);
		await fetchRaw(`${url}/privacy`);
		expect(cache.size).toBe(2);
		expect(rendered.filter((line) => line === '/privacy')).toHaveLength(2);
	});
});
