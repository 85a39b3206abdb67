// Every Auth.js import lives in src/lib/server/auth/ so the library can be swapped (DESIGN).
import { skipCSRFCheck } from '@auth/core';
import { SvelteKitAuth, type SvelteKitAuthConfig } from '@auth/sveltekit';
import Credentials from '@auth/sveltekit/providers/credentials';
import { isRedirect, redirect, type RequestEvent } from '@sveltejs/kit';
import { createHmac } from 'node:crypto';
import { config } from '$lib/server/config';
import { cipher } from '$lib/server/crypto';
import * as sessions from './sessions';

declare module '@auth/sveltekit' {
	interface Session {
		sid?: string;
	}
}

function secret(): string {
	// Derived from the data key, so there is one secret to manage; rotating it signs people out.
	return createHmac('sha256', cipher().keyId + ':auth.js')
		.update(config().origin.href)
		.digest('base64');
}

const secure = () => config().origin.protocol === 'https:';

/**
 * Auth.js holds the session cookie (an encrypted JWT carrying only our session id); the
 * Credentials provider takes the single-use grant that our own sign-in check issued.
 */
const authjs = SvelteKitAuth(async (): Promise<SvelteKitAuthConfig> => ({
	trustHost: true,
	// Auth.js is only called from our own server code (hooks.server.ts refuses /auth/* from
	// browsers); CSRF is checked for every form post by Fetch Metadata before it gets here.
	skipCSRFCheck,
	secret: [secret()],
	basePath: '/auth',
	session: { strategy: 'jwt', maxAge: sessions.absoluteHours * 3600 },
	// `__Host-` under https: no Domain, Path=/, Secure — the cookie cannot be set by a subdomain.
	cookies: {
		sessionToken: {
			name: secure() ? '__Host-od.session' : 'od.session',
			options: { httpOnly: true, sameSite: 'lax', path: '/', secure: secure() }
		}
	},
	pages: { signIn: '/sign-in', error: '/sign-in' },
	providers: [
		Credentials({
			id: 'grant',
			credentials: { grant: {} },
			authorize: (credentials) => {
				const grant = typeof credentials.grant === 'string' ? credentials.grant : '';
				const redeemed = grant ? sessions.redeem(grant) : null;
				return redeemed ? { id: redeemed.userId, sid: redeemed.sessionId } : null;
			}
		})
	],
	callbacks: {
		jwt({ token, user }) {
			if (user && 'sid' in user) token.sid = user.sid as string;
			return token;
		},
		session({ session, token }) {
			return { ...session, sid: typeof token.sid === 'string' ? token.sid : undefined };
		}
	}
}));

/** Auth.js's request handler (its `/auth/*` endpoints and `event.locals.auth`). */
export const handle = authjs.handle;

/** The session id in the request's Auth.js cookie, if any. */
export async function sessionIdOf(event: RequestEvent): Promise<string | undefined> {
	const session = await event.locals.auth();
	return session?.sid;
}

/** Has Auth.js set its session cookie for a grant our own sign-in check issued. */
export async function setSessionCookie(event: RequestEvent, grant: string): Promise<void> {
	const headers = new Headers(event.request.headers);
	headers.set('content-type', 'application/x-www-form-urlencoded');
	headers.set('host', config().origin.host);
	const request = new Request(event.request.url, {
		method: 'POST',
		headers,
		body: new URLSearchParams({ providerId: 'grant', grant, redirectTo: '/' })
	});
	try {
		await authjs.signIn({ ...event, request } as RequestEvent);
	} catch (thrown) {
		// Auth.js answers with a redirect built from the Host header; we send our own.
		if (!isRedirect(thrown)) throw thrown;
	}
	// Auth.js leaves a callback-url cookie behind; it would only be a trace of the visit.
	event.cookies.delete('authjs.callback-url', { path: '/' });
	event.cookies.delete('__Secure-authjs.callback-url', { path: '/', secure: true });
}

/** Sets the session cookie, then sends the browser on to `redirectTo` (throws the redirect). */
export async function issueCookie(
	event: RequestEvent,
	grant: string,
	redirectTo: string
): Promise<never> {
	await setSessionCookie(event, grant);
	redirect(303, redirectTo);
}

/** Clears Auth.js's cookie (our session row is ended separately). */
export function clearCookie(event: RequestEvent): void {
	for (const name of ['__Host-od.session', 'od.session']) {
		event.cookies.delete(name, { path: '/', secure: name.startsWith('__Host-') });
	}
}
