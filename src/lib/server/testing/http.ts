// For the HTTP tests: a real node:http server that answers as server.js does, with SvelteKit's
// own setResponse writing each Response, and a client that reads the bytes as they were sent.
import { setResponse } from '@sveltejs/kit/node';
import { createServer, request, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a test's stand-in for the app answers a request with. */
export type Render = (url: string, headers: IncomingHttpHeaders) => Response | Promise<Response>;

/** A server whose every request goes through `wrap` and then the `render` stand-in. */
export async function serve(
	wrap: (request: import('node:http').IncomingMessage, response: ServerResponse) => boolean | void,
	render: Render
): Promise<{ url: string; close: () => Promise<void> }> {
	const server = createServer((incoming, response) => {
		if (wrap(incoming, response) === true) return;
		void Promise.resolve(render(incoming.url ?? '/', incoming.headers)).then((answer) =>
			setResponse(response, answer)
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

/** A response as it came over the wire: nothing decoded. */
export interface Sent {
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

/** Sends one request and reads the raw answer; `onPiece` hears each piece as it arrives. */
export function fetchRaw(
	url: string,
	headers: Record<string, string> = {},
	method = 'GET',
	onPiece: (piece: Buffer) => void = () => undefined
): Promise<Sent> {
	return new Promise((resolve, reject) => {
		const outgoing = request(url, { method, headers }, (incoming) => {
			const pieces: Buffer[] = [];
			incoming.on('data', (piece: Buffer) => {
				pieces.push(piece);
				onPiece(piece);
			});
			incoming.on('end', () =>
				resolve({
					status: incoming.statusCode ?? 0,
					headers: incoming.headers,
					body: Buffer.concat(pieces)
				})
			);
			incoming.on('error', reject);
		});
		outgoing.on('error', reject);
		outgoing.end();
	});
}
