// Plain JavaScript so that server.js, which wraps adapter-node's handler, can load it unbuilt.
import {
	brotliCompressSync,
	constants,
	createBrotliCompress,
	createGzip,
	gzipSync
} from 'node:zlib';

/** Below this many bytes a compressed page is hardly smaller, and costs a zlib stream. */
const smallest = 1024;
/**
 * Up to this many bytes a page of known length is compressed in one call when it is complete
 * (about a millisecond for 100 KB): a zlib stream per response halved the pages served a
 * second, measured on /sign-in. Larger pages, and pages streamed without a length, go through one.
 */
const wholeAtMost = 256 * 1024;

/**
 * The encoding to send a page in, by the request's Accept-Encoding: brotli or gzip, whichever
 * it ranks higher (brotli on a tie), or null for none (RFC 9110 §12.5.3).
 * @param {string | string[] | undefined} header
 * @returns {'br' | 'gzip' | null}
 */
export function preferredEncoding(header) {
	if (typeof header !== 'string' || !header) return null;
	/** @type {Map<string, number>} */
	const ranks = new Map();
	for (const part of header.toLowerCase().split(',')) {
		const [coding = '', ...parameters] = part.split(';').map((piece) => piece.trim());
		let rank = 1;
		for (const parameter of parameters) {
			const quality = /^q=([01](?:\.\d{0,3})?)$/.exec(parameter.replace(/\s/g, ''));
			if (quality) rank = Number(quality[1]);
		}
		if (coding) ranks.set(coding, rank);
	}
	/** @param {string} coding */
	const rankOf = (coding) => ranks.get(coding) ?? ranks.get('*') ?? 0;
	const br = rankOf('br');
	const gzip = Math.max(rankOf('gzip'), ranks.get('x-gzip') ?? 0);
	if (br > 0 && br >= gzip) return 'br';
	return gzip > 0 ? 'gzip' : null;
}

/**
 * Adds a field name to the response's Vary header, once.
 * @param {import('node:http').ServerResponse} response
 * @param {string} field
 */
export function addVary(response, field) {
	const current = String(response.getHeader('vary') ?? '');
	const fields = current
		.split(',')
		.map((name) => name.trim().toLowerCase())
		.filter(Boolean);
	if (fields.includes('*') || fields.includes(field.toLowerCase())) return;
	response.setHeader('Vary', current.trim() ? `${current}, ${field}` : field);
}

/** Brotli's quality for pages compressed as they are sent (11, for pages kept, is far slower). */
const brotliParams = {
	[constants.BROTLI_PARAM_QUALITY]: 5,
	[constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT
};

/**
 * A zlib stream for one response: brotli at a middling quality, or gzip at zlib's default level.
 * @param {'br' | 'gzip'} encoding
 */
function compressor(encoding) {
	return encoding === 'br' ? createBrotliCompress({ params: brotliParams }) : createGzip();
}

/**
 * A whole page compressed in one call.
 * @param {'br' | 'gzip'} encoding
 * @param {Buffer} page
 */
function compressWhole(encoding, page) {
	return encoding === 'br'
		? brotliCompressSync(page, {
				params: { ...brotliParams, [constants.BROTLI_PARAM_SIZE_HINT]: page.length }
			})
		: gzipSync(page);
}

/**
 * Makes the response compress what SvelteKit renders, by the request's Accept-Encoding: HTML, and
 * JSON (a client-side navigation's `__data.json`, which in the console ran to 65 KB a click, and
 * the endpoints'). A body of known length goes in one go once complete, a streamed one as it
 * streams out (every chunk is flushed, so it still arrives piece by piece). Anything else, or
 * what carries an encoding already (adapter-node's precompressed `/_app` files), passes
 * untouched. Call it before the response's head is written; whatever wraps the response after
 * it sees the page uncompressed.
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 */
export function compressRendered(request, response) {
	const encoding = preferredEncoding(request.headers['accept-encoding']);
	// Their overloads as one signature each: what is passed on is passed on as it came.
	const writeHead = /** @type {(...args: any[]) => import('node:http').ServerResponse} */ (
		response.writeHead
	);
	const write = /** @type {(...args: any[]) => boolean} */ (response.write);
	const end = /** @type {(...args: any[]) => import('node:http').ServerResponse} */ (response.end);
	/** A page of known length, gathered to be compressed when complete; its head waits with it. */
	/** @type {{ encoding: 'br' | 'gzip', head: unknown[], pieces: Buffer[] } | null} */
	let whole = null;
	/** @type {import('node:zlib').Gzip | import('node:zlib').BrotliCompress | null} */
	let zip = null;

	/** @type {(...args: any[]) => import('node:http').ServerResponse} */
	const compressingWriteHead = function (statusCode, ...rest) {
		// writeHead(status, [message], [headers]): apply a headers object as setHeader would, so
		// the decision below sees every header; raw header arrays are passed on as they are.
		const last = rest.at(-1);
		if (last && typeof last === 'object' && !Array.isArray(last)) {
			for (const [name, value] of Object.entries(last)) {
				if (value !== undefined) response.setHeader(name, value);
			}
			rest.pop();
		}
		if (!Array.isArray(last) && isRendered(response)) {
			addVary(response, 'Accept-Encoding');
			if (encoding && worthCompressing(request, response, statusCode)) {
				const length = Number(response.getHeader('content-length') ?? Infinity);
				markEncoded(encoding);
				if (length <= wholeAtMost) {
					// Node sends the head with the first piece of the body: it goes with the whole.
					whole = { encoding, head: [statusCode, ...rest], pieces: [] };
					return response;
				}
				zip = start(encoding);
			}
		}
		return writeHead.call(response, statusCode, ...rest);
	};
	/** @type {(...args: any[]) => boolean} */
	const compressingWrite = (chunk, ...rest) => {
		if (whole) {
			whole.pieces.push(bufferOf(chunk, rest[0]));
			return true;
		}
		if (!zip) return write.call(response, chunk, ...rest);
		const accepted = zip.write(chunk, ...rest);
		// SvelteKit streams a page in chunks when it awaits data: each must reach the reader now.
		zip.flush();
		return accepted;
	};
	/** @type {(...args: any[]) => import('node:http').ServerResponse} */
	const compressingEnd = (...args) => {
		if (whole) {
			const [chunk, encodingOrDone] = args;
			if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') {
				whole.pieces.push(bufferOf(chunk, encodingOrDone));
			}
			const body = compressWhole(whole.encoding, Buffer.concat(whole.pieces));
			response.setHeader('Content-Length', body.length);
			writeHead.call(response, ...whole.head);
			whole = null;
			return end.call(response, body, ...args.filter((arg) => typeof arg === 'function'));
		}
		if (!zip) return end.call(response, ...args);
		zip.end(...args);
		return response;
	};
	response.writeHead = /** @type {typeof response.writeHead} */ (compressingWriteHead);
	response.write = /** @type {typeof response.write} */ (compressingWrite);
	response.end = /** @type {typeof response.end} */ (compressingEnd);

	/**
	 * The headers of a compressed page.
	 * @param {'br' | 'gzip'} chosen
	 */
	function markEncoded(chosen) {
		response.setHeader('Content-Encoding', chosen);
		response.removeHeader('Content-Length');
		// The same validator for both encodings is only a weak one (RFC 9110 §8.8.1).
		const etag = response.getHeader('etag');
		if (typeof etag === 'string' && etag.startsWith('"')) response.setHeader('ETag', `W/${etag}`);
	}

	/**
	 * Pipes a zlib stream into the response, keeping to the socket's pace.
	 * @param {'br' | 'gzip'} chosen
	 */
	function start(chosen) {
		const stream = compressor(chosen);
		stream.on('data', (/** @type {Buffer} */ chunk) => {
			if (!write.call(response, chunk)) stream.pause();
		});
		stream.on('end', () => end.call(response));
		stream.on('error', (error) => response.destroy(error));
		// The socket drained: let the compressed bytes flow again. A 'drain' re-emitted below
		// (the zlib stream took its input) is told apart by the socket still being full.
		response.on('drain', () => {
			if (!response.writableNeedDrain) stream.resume();
		});
		stream.on('drain', () => response.emit('drain'));
		response.on('close', () => stream.destroy());
		return stream;
	}
}

/**
 * A written piece as bytes of its own (the writer may reuse its buffer once the write returns).
 * @param {unknown} chunk
 * @param {unknown} encoding
 */
function bufferOf(chunk, encoding) {
	if (typeof chunk === 'string') {
		return Buffer.from(
			chunk,
			typeof encoding === 'string' ? /** @type {BufferEncoding} */ (encoding) : 'utf8'
		);
	}
	if (chunk instanceof Uint8Array) return Buffer.from(chunk);
	throw new TypeError('A response body piece must be a string or bytes.');
}

/**
 * HTML or JSON: what SvelteKit renders (a page, a page's data) and the endpoints answer.
 * @param {import('node:http').ServerResponse} response
 */
function isRendered(response) {
	return /^(?:text\/html|application\/json)\b/i.test(
		String(response.getHeader('content-type') ?? '')
	);
}

/**
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 * @param {number} statusCode
 */
function worthCompressing(request, response, statusCode) {
	if (statusCode < 200 || statusCode === 204 || statusCode === 304) return false;
	if (request.method === 'HEAD' || response.hasHeader('content-encoding')) return false;
	if (/\bno-transform\b/i.test(String(response.getHeader('cache-control') ?? ''))) return false;
	const length = Number(response.getHeader('content-length') ?? Infinity);
	return length >= smallest;
}
