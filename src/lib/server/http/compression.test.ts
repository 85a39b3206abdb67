import { afterEach, describe, expect, it } from 'vitest';
import { brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { fetchRaw, serve, type Render } from '$lib/server/testing/http';
import { compressRendered, preferredEncoding } from './compression.js';

const page = `<!doctype html><html><body>${'<p>Help is here, whenever you need it.</p>'.repeat(60)}</body></html>`;
const html = { 'content-type': 'text/html', etag: '"abc123"' };

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
	await close?.();
	close = undefined;
});

async function server(render: Render) {
	const started = await serve((request, response) => compressRendered(request, response), render);
	close = started.close;
	return started.url;
}

describe('preferredEncoding', () => {
	it('takes brotli, then gzip, as the request ranks them', () => {
		expect(preferredEncoding('gzip, deflate, br')).toBe('br');
		expect(preferredEncoding('gzip, deflate')).toBe('gzip');
		expect(preferredEncoding('gzip;q=1, br;q=0.5')).toBe('gzip');
		expect(preferredEncoding('br;q=0, gzip')).toBe('gzip');
		expect(preferredEncoding('*')).toBe('br');
		expect(preferredEncoding('*, br;q=0')).toBe('gzip');
	});

	it('takes none when none is asked for or both are refused', () => {
		expect(preferredEncoding(undefined)).toBe(null);
		expect(preferredEncoding('')).toBe(null);
		expect(preferredEncoding('identity')).toBe(null);
		expect(preferredEncoding('deflate')).toBe(null);
		expect(preferredEncoding('br;q=0, gzip;q=0')).toBe(null);
	});
});

describe('compressRendered', () => {
	// SvelteKit gives a rendered page its length; a streamed page has none.
	for (const [kind, headers] of [
		['rendered whole', { ...html, 'content-length': String(Buffer.byteLength(page)) }],
		['streamed', html]
	] as const) {
		it(`sends a page ${kind} in brotli or gzip that decodes to the page, with a weak ETag`, async () => {
			const url = await server(() => new Response(page, { headers }));
			const br = await fetchRaw(url, { 'accept-encoding': 'br' });
			expect(br.headers['content-encoding']).toBe('br');
			expect(brotliDecompressSync(br.body).toString()).toBe(page);
			expect(br.body.length).toBeLessThan(page.length / 4);
			expect(br.headers['vary']).toBe('Accept-Encoding');
			expect(br.headers['etag']).toBe('W/"abc123"');
			const gzip = await fetchRaw(url, { 'accept-encoding': 'gzip, deflate' });
			expect(gzip.headers['content-encoding']).toBe('gzip');
			expect(gunzipSync(gzip.body).toString()).toBe(page);
			// The length sent is the compressed one, or none at all.
			for (const sent of [br, gzip]) {
				if ('content-length' in headers) {
					expect(sent.headers['content-length']).toBe(String(sent.body.length));
				} else {
					expect(sent.headers['transfer-encoding']).toBe('chunked');
				}
			}
		});
	}

	it('sends a page’s data (a click’s `__data.json`) in brotli or gzip too', async () => {
		const data = JSON.stringify({ type: 'data', nodes: [{ rows: Array(300).fill('A case') }] });
		const url = await server(
			() =>
				new Response(data, {
					headers: { 'content-type': 'application/json', 'content-length': `${data.length}` }
				})
		);
		const br = await fetchRaw(url, { 'accept-encoding': 'br' });
		expect(br.headers['content-encoding']).toBe('br');
		expect(brotliDecompressSync(br.body).toString()).toBe(data);
		expect(br.headers['content-length']).toBe(String(br.body.length));
		expect(br.headers['vary']).toBe('Accept-Encoding');
		const gzip = await fetchRaw(url, { 'accept-encoding': 'gzip' });
		expect(gunzipSync(gzip.body).toString()).toBe(data);
	});

	it('sends the page as it is to a client that asks for no encoding', async () => {
		const url = await server(() => new Response(page, { headers: html }));
		const plain = await fetchRaw(url);
		expect(plain.headers['content-encoding']).toBeUndefined();
		expect(plain.body.toString()).toBe(page);
		expect(plain.headers['vary']).toBe('Accept-Encoding');
		expect(plain.headers['etag']).toBe('"abc123"');
	});

	it('keeps the Vary the app set, adding Accept-Encoding once', async () => {
		const url = await server(
			() => new Response(page, { headers: { ...html, vary: 'Accept-Encoding, Cookie' } })
		);
		const sent = await fetchRaw(url, { 'accept-encoding': 'br' });
		expect(sent.headers['vary']).toBe('Accept-Encoding, Cookie');
	});

	it('leaves alone what is not HTML or JSON, is already encoded, or is too small to gain', async () => {
		const css = 'body { color: black; }\n'.repeat(200);
		const url = await server((path) =>
			path === '/style.css'
				? new Response(css, { headers: { 'content-type': 'text/css' } })
				: path === '/packed'
					? new Response(page, { headers: { ...html, 'content-encoding': 'gzip' } })
					: new Response('<p>Gone.</p>', {
							headers: { ...html, 'content-length': '12' }
						})
		);
		const style = await fetchRaw(`${url}/style.css`, { 'accept-encoding': 'br' });
		expect(style.headers['content-encoding']).toBeUndefined();
		expect(style.body.toString()).toBe(css);
		const packed = await fetchRaw(`${url}/packed`, { 'accept-encoding': 'br' });
		expect(packed.headers['content-encoding']).toBe('gzip');
		expect(packed.body.toString()).toBe(page);
		const small = await fetchRaw(`${url}/small`, { 'accept-encoding': 'br' });
		expect(small.headers['content-encoding']).toBeUndefined();
		expect(small.body.toString()).toBe('<p>Gone.</p>');
	});

	it('answers HEAD with no body and a redirect without compressing', async () => {
		const url = await server((path) =>
			path === '/moved'
				? new Response(null, { status: 303, headers: { location: '/' } })
				: new Response(page, { headers: html })
		);
		const head = await fetchRaw(url, { 'accept-encoding': 'br' }, 'HEAD');
		expect(head.status).toBe(200);
		expect(head.body.length).toBe(0);
		const moved = await fetchRaw(`${url}/moved`, { 'accept-encoding': 'br' });
		expect(moved.status).toBe(303);
		expect(moved.headers['location']).toBe('/');
		expect(moved.headers['content-encoding']).toBeUndefined();
	});

	// A page SvelteKit streams (data it awaits) must reach the reader part by part. The server
	// here writes the rest only once the first part has arrived: were the first part held back
	// in the compressor, neither would ever come, and the test would time out.
	it('still streams: the first part of a page arrives before the rest is written', async () => {
		let firstPartArrived: () => void = () => undefined;
		const arrived = new Promise<void>((resolve) => (firstPartArrived = resolve));
		const encoder = new TextEncoder();
		const url = await server(
			() =>
				new Response(
					new ReadableStream({
						async start(controller) {
							controller.enqueue(encoder.encode(page));
							await arrived;
							controller.enqueue(encoder.encode('<p>The rest.</p>'));
							controller.close();
						}
					}),
					{ headers: { 'content-type': 'text/html' } }
				)
		);
		const pieces: Buffer[] = [];
		const { body } = await fetchRaw(url, { 'accept-encoding': 'gzip' }, 'GET', (piece) => {
			pieces.push(piece);
			// What can be read so far, an unfinished gzip stream decoded as far as it goes.
			const sofar = gunzipSync(Buffer.concat(pieces), { finishFlush: constants.Z_SYNC_FLUSH });
			if (sofar.toString() === page) firstPartArrived();
		});
		expect(gunzipSync(body).toString()).toBe(`${page}<p>The rest.</p>`);
	}, 5_000);
});
