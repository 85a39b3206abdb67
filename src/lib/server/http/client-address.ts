import type { RequestEvent } from '@sveltejs/kit';

// The client's address, for the sign-in rate limits. Behind a proxy (ADDRESS_HEADER), adapter-node
// reads it from the proxy's header, and throws when the header is missing, or when X-Forwarded-For
// holds fewer entries than XFF_DEPTH: a request that did not come through the proxy(s). That was
// a 500 on every sign-in form. Such a request came straight to our port, so the connection's own
// address is the one to count it against (never a header the sender wrote themself).

let warned = false;

/** The address a request's sign-in failures are counted against. */
export function clientAddress(event: Pick<RequestEvent, 'getClientAddress' | 'platform'>): string {
	try {
		return event.getClientAddress();
	} catch {
		if (!warned) {
			warned = true;
			console.warn(
				'OneDoor warning: a request reached the server without the proxy header ADDRESS_HEADER names (or with fewer X-Forwarded-For entries than XFF_DEPTH): its connection address is used. If every request comes through the proxy, only the proxy should be able to reach this port.'
			);
		}
		const socket = (event.platform as { req?: { socket?: { remoteAddress?: string } } } | undefined)
			?.req?.socket;
		return socket?.remoteAddress ?? 'unknown';
	}
}
