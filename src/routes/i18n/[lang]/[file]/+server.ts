import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { messagesPath } from '$lib/i18n/transport';
import { preferredEncoding } from '$lib/server/http/compression.js';
import { messagesScript } from '$lib/server/i18n';
import type { RequestHandler } from './$types';

/** Each script compressed once, by its address and encoding: the messages never change under it. */
const compressed = new Map<string, Uint8Array<ArrayBuffer>>();

/**
 * A hydrating page's messages (`/i18n/<lang>/<namespaces>.<hash>.js`, i18n/transport.ts): the
 * same for everyone, so any cache may keep them for a year; their address changes with them.
 */
export const GET: RequestHandler = ({ params, request, locals }) => {
	const name = /^([a-zA-Z,]+)\.([0-9a-z]+)\.js$/.exec(params.file);
	const sent = name ? messagesScript(params.lang, name[1]!) : undefined;
	// Another hash is messages this server no longer has (a page from before it was updated):
	// that page does not hydrate, and works as it does without JavaScript.
	if (!sent || sent.src !== `${messagesPath}${params.lang}/${params.file}`) {
		return new Response(locals.t('errors.notFound.title'), {
			status: 404,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	const encoding = preferredEncoding(request.headers.get('accept-encoding') ?? undefined);
	let body: string | Uint8Array<ArrayBuffer> = sent.script;
	if (encoding) {
		const key = `${sent.src} ${encoding}`;
		let bytes = compressed.get(key);
		if (!bytes) {
			bytes = new Uint8Array(
				encoding === 'br'
					? brotliCompressSync(sent.script, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
					: gzipSync(sent.script, { level: 9 })
			);
			compressed.set(key, bytes);
		}
		body = bytes;
	}
	return new Response(body, {
		headers: {
			'content-type': 'text/javascript; charset=utf-8',
			'cache-control': 'public, max-age=31536000, immutable',
			vary: 'Accept-Encoding',
			...(encoding ? { 'content-encoding': encoding } : {})
		}
	});
};
