// Plain JavaScript so that server.js, which wraps adapter-node's handler, can load it unbuilt.
import { constants, brotliCompress, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { languageOfPath, languagesAskedFor } from './accept-language.js';
import { preferredEncoding } from './compression.js';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * The cookies a public content page may be answered from memory with. The first-visit notice
 * (src/lib/server/exit-notice.ts) makes two copies of each page; the declined language offer
 * (src/lib/server/language-offer.ts) only takes away what the page would not show from memory
 * anyway (see `keyOf`); the trusted-device and email-link cookies (src/lib/server/auth/devices.ts,
 * email-links.ts) change nothing on it. Any other cookie — a session, a referral draft, one we
 * do not know — sends the request to SvelteKit.
 */
export const publicPageCookies = {
	notice: { name: 'od_exit_notice', seen: 'seen' },
	languageOffer: { name: 'od_language_offer', seen: 'seen' },
	ignored: ['od_device', 'od_link']
};

/** Only paths made of these characters are kept: a page name in any language, no query. */
const plainPath = /^\/[a-z0-9/-]{0,100}$/;

/** Headers a stored page is sent with that are worked out per answer, not copied. */
const perAnswer = new Set(['content-length', 'content-encoding', 'etag', 'date', 'connection']);
/** Headers that describe the body, left out of a 304 (RFC 9110 §15.4.5). */
const aboutTheBody = new Set(['content-type', 'content-length', 'content-encoding']);

/**
 * @typedef {Record<string, string | string[]>} Headers
 * @typedef {{ body: Buffer, headers: Headers, notModified: Headers, etag: string }} Copy
 * @typedef {{ identity: Copy, gzip: Copy, br: Copy, expires: number, bytes: number }} Page
 */

/**
 * Public content pages kept in memory once rendered: per path and per first-visit notice shown
 * or not, as SvelteKit sent them (every header, the security headers among them) and compressed
 * once with gzip and with brotli at its best. Only what the hooks marked `Cache-Control: public`
 * for a request without a session or draft is kept, for that Cache-Control's max-age; the number
 * of copies and the bytes they hold are capped, and nothing beyond either cap is kept.
 */
export class PageCache {
	/** @type {Map<string, Page>} */
	#pages = new Map();
	#maxPages;
	#maxBytes;
	#maxTotalBytes;
	/** The bytes the kept copies hold, all three encodings. */
	#bytes = 0;
	#now;

	/**
	 * @param {{ maxPages?: number, maxBytes?: number, maxTotalBytes?: number, now?: () => number }} [options]
	 * maxPages: how many copies at most (14 pages × 13 languages × 2 is 364; a page that offers
	 * another language is never kept, so the language offer adds none);
	 * maxBytes: the largest page kept; maxTotalBytes: all copies together
	 */
	constructor({
		maxPages = 1000,
		maxBytes = 256 * 1024,
		maxTotalBytes = 32 * 1024 * 1024,
		now = Date.now
	} = {}) {
		this.#maxPages = maxPages;
		this.#maxBytes = maxBytes;
		this.#maxTotalBytes = maxTotalBytes;
		this.#now = now;
	}

	/** How many copies are held. */
	get size() {
		return this.#pages.size;
	}

	/**
	 * Answers the request from memory if a fresh copy of its page is held, and says whether it did.
	 * @param {import('node:http').IncomingMessage} request
	 * @param {import('node:http').ServerResponse} response
	 * @returns {boolean}
	 */
	answer(request, response) {
		const key = keyOf(request);
		if (!key) return false;
		const page = this.#pages.get(key);
		if (!page) return false;
		if (page.expires <= this.#now()) {
			this.#pages.delete(key);
			this.#bytes -= page.bytes;
			return false;
		}
		const copy = page[preferredEncoding(request.headers['accept-encoding']) ?? 'identity'];
		if (matches(request.headers['if-none-match'], copy.etag)) {
			response.writeHead(304, copy.notModified);
			response.end();
		} else {
			response.writeHead(200, copy.headers);
			response.end(request.method === 'HEAD' ? undefined : copy.body);
		}
		return true;
	}

	/**
	 * Watches the response SvelteKit writes for this request and keeps the page if it may be
	 * kept. Call it before anything else wraps the response's writing (the copy kept is the page
	 * as rendered, before compression).
	 * @param {import('node:http').IncomingMessage} request
	 * @param {import('node:http').ServerResponse} response
	 */
	watch(request, response) {
		const key = keyOf(request);
		if (!key || request.method !== 'GET') return;
		if (this.#pages.size >= this.#maxPages && !this.#pages.has(key)) return;
		// Their overloads as one signature each: what is passed on is passed on as it came.
		const writeHead = /** @type {(...args: any[]) => import('node:http').ServerResponse} */ (
			response.writeHead
		);
		const write = /** @type {(...args: any[]) => boolean} */ (response.write);
		const end = /** @type {(...args: any[]) => import('node:http').ServerResponse} */ (
			response.end
		);
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		/** @type {{ headers: Headers, maxAge: number } | null} */
		let keeping = null;

		/**
		 * Adds a written piece to the copy, or gives up keeping a page that grew too large.
		 * @param {unknown} chunk
		 * @param {unknown} encoding
		 */
		const collect = (chunk, encoding) => {
			if (!keeping) return;
			/** @type {Buffer | null} */
			let bytes = null;
			if (typeof chunk === 'string') {
				const as = typeof encoding === 'string' ? /** @type {BufferEncoding} */ (encoding) : 'utf8';
				bytes = Buffer.from(chunk, as);
			} else if (chunk instanceof Uint8Array) {
				// A copy: the writer may reuse its buffer once the write returns.
				bytes = Buffer.from(chunk);
			}
			size += bytes?.length ?? 0;
			if (!bytes || size > this.#maxBytes) {
				keeping = null;
				chunks.length = 0;
				return;
			}
			chunks.push(bytes);
		};

		/** @type {(...args: any[]) => import('node:http').ServerResponse} */
		const watchingWriteHead = (statusCode, ...rest) => {
			// SvelteKit sets every header, then calls writeHead(status) alone.
			if (statusCode === 200 && rest.length === 0) keeping = keepable(response);
			return writeHead.call(response, statusCode, ...rest);
		};
		/** @type {(...args: any[]) => boolean} */
		const watchingWrite = (chunk, ...rest) => {
			collect(chunk, rest[0]);
			return write.call(response, chunk, ...rest);
		};
		/** @type {(...args: any[]) => import('node:http').ServerResponse} */
		const watchingEnd = (...args) => {
			if (args[0] !== undefined && typeof args[0] !== 'function') collect(args[0], args[1]);
			if (keeping) this.#keep(key, keeping, Buffer.concat(chunks));
			return end.call(response, ...args);
		};
		response.writeHead = /** @type {typeof response.writeHead} */ (watchingWriteHead);
		response.write = /** @type {typeof response.write} */ (watchingWrite);
		response.end = /** @type {typeof response.end} */ (watchingEnd);
	}

	/**
	 * Compresses the page off the main thread and stores its three copies.
	 * @param {string} key
	 * @param {{ headers: Headers, maxAge: number }} kept
	 * @param {Buffer} body
	 */
	#keep(key, kept, body) {
		const started = this.#now();
		Promise.all([
			gzipped(body, { level: 9 }),
			brotli(body, {
				params: {
					[constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
					[constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
					[constants.BROTLI_PARAM_SIZE_HINT]: body.length
				}
			})
		]).then(
			([gzipBody, brBody]) => {
				const replaced = this.#pages.get(key);
				if (this.#pages.size >= this.#maxPages && !replaced) return;
				const bytes = body.length + gzipBody.length + brBody.length;
				const total = this.#bytes - (replaced?.bytes ?? 0) + bytes;
				if (total > this.#maxTotalBytes) return;
				const etag = String(kept.headers.etag ?? `"${body.length.toString(36)}"`);
				this.#pages.set(key, {
					identity: copyOf(kept.headers, body, null, etag),
					gzip: copyOf(kept.headers, gzipBody, 'gzip', etag),
					br: copyOf(kept.headers, brBody, 'br', etag),
					expires: started + kept.maxAge * 1000,
					bytes
				});
				this.#bytes = total;
			},
			// A page that could not be compressed is simply not kept; SvelteKit renders it next time.
			() => undefined
		);
	}
}

/**
 * The memory key of a request that may be answered from memory: its path and whether the
 * first-visit notice was dismissed. Null for anything else.
 *
 * A page offers itself in the browser's language when the browser asks first for another the
 * site speaks (language-offer.ts). Only pages without that offer are kept or answered from
 * memory, so one visitor's offer never reaches another: a request is answered from memory only
 * when the offer was declined, or when the browser asks for no language, or asks first for the
 * page's own. Any other request goes to SvelteKit, which renders the offer if one is due. (This
 * plain module cannot read the site's list of languages, so it does not try to tell an offer
 * from none; the pages SvelteKit renders for such a browser are correct, only not from memory.)
 * @param {import('node:http').IncomingMessage} request
 * @returns {string | null}
 */
export function keyOf(request) {
	if (request.method !== 'GET' && request.method !== 'HEAD') return null;
	const path = request.url ?? '';
	if (!plainPath.test(path)) return null;
	const cookies = publicCookiesIn(request.headers.cookie);
	if (!cookies) return null;
	if (!cookies.offerDeclined) {
		const first = languagesAskedFor(headerText(request.headers['accept-language']))[0];
		if (first !== undefined && first !== languageOfPath(path)) return null;
	}
	return `${cookies.noticeSeen ? 'seen' : 'first'} ${path}`;
}

/** @param {string | string[] | undefined} header */
const headerText = (header) => (Array.isArray(header) ? header.join(',') : header);

/**
 * What the cookies say of the first-visit notice and the language offer; null when they carry
 * anything else a public page might depend on, or that this plain reading might take
 * differently from SvelteKit's (a repeated name, an encoded value, a pair without `=`).
 * @param {string | undefined} header
 * @returns {{ noticeSeen: boolean, offerDeclined: boolean } | null}
 */
function publicCookiesIn(header) {
	const found = { noticeSeen: false, offerDeclined: false };
	if (!header) return found;
	/** @type {Set<string>} */
	const names = new Set();
	for (const pair of header.split(';')) {
		if (!pair.trim()) continue;
		const equals = pair.indexOf('=');
		if (equals < 0) return null;
		const name = pair.slice(0, equals).trim();
		const value = pair.slice(equals + 1).trim();
		if (names.has(name)) return null;
		names.add(name);
		if (name === publicPageCookies.notice.name) {
			if (value !== publicPageCookies.notice.seen) return null;
			found.noticeSeen = true;
		} else if (name === publicPageCookies.languageOffer.name) {
			if (value !== publicPageCookies.languageOffer.seen) return null;
			found.offerDeclined = true;
		} else if (!publicPageCookies.ignored.includes(name)) {
			return null;
		}
	}
	return found;
}

/**
 * What is kept of a response the hooks let shared caches hold (`Cache-Control: public,
 * max-age=…`): HTML, uncompressed, no cookie set. Null for any other response.
 * @param {import('node:http').ServerResponse} response
 * @returns {{ headers: Headers, maxAge: number } | null}
 */
function keepable(response) {
	const cacheControl = String(response.getHeader('cache-control') ?? '');
	const maxAge = /(?:^|,)\s*max-age=(\d+)\s*(?:,|$)/i.exec(cacheControl);
	if (!/(?:^|,)\s*public\s*(?:,|$)/i.test(cacheControl) || !maxAge) return null;
	if (/\b(?:private|no-store|no-cache)\b/i.test(cacheControl)) return null;
	if (response.hasHeader('set-cookie') || response.hasHeader('content-encoding')) return null;
	if (!/^text\/html\b/i.test(String(response.getHeader('content-type') ?? ''))) return null;
	/** @type {Headers} */
	const headers = {};
	for (const [name, value] of Object.entries(response.getHeaders())) {
		if (value === undefined || (perAnswer.has(name) && name !== 'etag')) continue;
		headers[name] = typeof value === 'number' ? String(value) : value;
	}
	return { headers, maxAge: Number(maxAge[1]) };
}

/**
 * One encoding's copy: the headers as SvelteKit sent them, with this body's length and encoding.
 * The ETag is SvelteKit's own for the uncompressed page, and its weak form for a compressed one.
 * @param {Headers} kept
 * @param {Buffer} body
 * @param {'gzip' | 'br' | null} encoding
 * @param {string} etag
 * @returns {Copy}
 */
function copyOf(kept, body, encoding, etag) {
	const tag = encoding && etag.startsWith('"') ? `W/${etag}` : etag;
	/** @type {Headers} */
	const headers = {};
	for (const [name, value] of Object.entries(kept)) {
		if (!perAnswer.has(name)) headers[name] = value;
	}
	headers['etag'] = tag;
	if (encoding) headers['content-encoding'] = encoding;
	headers['content-length'] = String(body.length);
	/** @type {Headers} */
	const notModified = {};
	for (const [name, value] of Object.entries(headers)) {
		if (!aboutTheBody.has(name)) notModified[name] = value;
	}
	return { body, headers, notModified, etag: tag };
}

/**
 * True when If-None-Match names this copy's ETag (compared weakly, as RFC 9110 §13.1.2 asks).
 * @param {string | undefined} header
 * @param {string} etag
 */
function matches(header, etag) {
	if (!header) return false;
	const opaque = etag.replace(/^W\//, '');
	return header.split(',').some((tag) => {
		const candidate = tag.trim();
		return candidate === '*' || candidate.replace(/^W\//, '') === opaque;
	});
}
