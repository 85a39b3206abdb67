// Every Auth.js import lives in src/lib/server/auth/ so the library can be swapped (DESIGN).
import { Auth, raw, skipCSRFCheck, type AuthConfig } from '@auth/core';
import { decode } from '@auth/core/jwt';
import Credentials from '@auth/core/providers/credentials';
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { config } from '$lib/server/config';
import { cipher } from '$lib/server/crypto';
import * as sessions from './sessions';

/**
 * The key Auth.js encrypts its cookie with: derived (HKDF) from the data key's secret bytes, so
 * nobody who knows only public values (the key id, the origin) can forge or open a cookie.
 * Rotating the data key signs everybody out.
 */
export function cookieSecret(): string {
	const current = cipher();
	const origin = config().origin.origin;
	if (derived?.cipher !== current || derived.origin !== origin) {
		const secret = current.derive(`auth.js session cookie for ${origin}`).toString('base64');
		derived = { cipher: current, origin, secret };
	}
	return derived.secret;
}

/** The secret, derived once per data key and origin: every signed-in request needs it. */
let derived: { cipher: ReturnType<typeof cipher>; origin: string; secret: string } | undefined;

const secure = () => config().origin.protocol === 'https:';

/** The session cookie's name: `__Host-` under https (no Domain, Path=/, Secure). */
export const cookieName = () => (secure() ? '__Host-od.session' : 'od.session');

/**
 * Auth.js makes the session cookie (an encrypted JWT carrying only our session id); its
 * Credentials provider takes the single-use grant that our own sign-in check issued.
 */
function authConfig(onRedeem: (redeemed: { role: sessions.Role }) => void): AuthConfig {
	return {
		trustHost: true,
		// Auth.js is only called from our own server code (hooks.server.ts refuses /auth/* from
		// browsers); CSRF is checked for every form post by Fetch Metadata before it gets here.
		skipCSRFCheck,
		secret: [cookieSecret()],
		basePath: '/auth',
		session: { strategy: 'jwt', maxAge: sessions.absoluteHours * 3600 },
		cookies: { sessionToken: { name: cookieName(), options: cookieOptions() } },
		providers: [
			Credentials({
				id: 'grant',
				credentials: { grant: {} },
				authorize: (credentials) => {
					const grant = typeof credentials.grant === 'string' ? credentials.grant : '';
					const redeemed = grant ? sessions.redeem(grant) : null;
					if (!redeemed) return null;
					onRedeem(redeemed);
					return { id: redeemed.userId, sid: redeemed.sessionId };
				}
			})
		],
		callbacks: {
			jwt({ token, user }) {
				if (user && 'sid' in user) token.sid = user.sid as string;
				return token;
			}
		}
	};
}

function cookieOptions() {
	return { httpOnly: true, sameSite: 'lax', path: '/', secure: secure() } as const;
}

/**
 * True when the request carries a session cookie at all, valid or not: read from the request
 * itself, so one the session hook has since dropped as ended still counts.
 */
export function carriesSessionCookie(event: RequestEvent): boolean {
	const name = `${cookieName()}=`;
	const header = event.request.headers.get('cookie') ?? '';
	return header.split(';').some((pair) => pair.trim().startsWith(name));
}

/**
 * The session id in the request's cookie, if the cookie is ours and unexpired. The cookie is
 * only read here, never re-issued: Auth.js's own per-request session check would set its
 * callback-url cookie and refresh the session cookie's expiry on every page. Without the cookie
 * it returns before any Auth.js code runs: an anonymous visit costs Auth.js nothing.
 */
export async function sessionIdOf(event: RequestEvent): Promise<string | undefined> {
	const token = event.cookies.get(cookieName());
	if (!token) return undefined;
	const now = Date.now();
	const secret = cookieSecret();
	// A new data key signs everybody out: nothing opened under the old one is remembered.
	if (secret !== openedUnder) {
		opened.clear();
		openedUnder = secret;
	}
	const known = opened.get(token);
	if (known && known.until > now) return known.sid;
	try {
		const payload = await decode({ token, secret: [secret], salt: cookieName() });
		const sid = typeof payload?.sid === 'string' ? payload.sid : undefined;
		if (sid) {
			if (opened.size >= openedAtMost) opened.clear();
			const expires = typeof payload?.exp === 'number' ? payload.exp * 1000 : now;
			opened.set(token, { sid, until: Math.min(now + openedForMs, expires) });
		}
		return sid;
	} catch {
		// Made with another key, tampered with, or expired: nobody is signed in.
		return undefined;
	}
}

/**
 * Cookies decrypted in the last minute, and the session each names. Opening the cookie (Auth.js's
 * JWE: a key derived by HKDF, then AES) on every request of a signed-in person cost more than
 * their session's lookup; the lookup still runs on every request, so a session ended, locked or
 * timed out is refused at once whatever is remembered here. Held in memory only, never past the
 * cookie's own expiry, and forgotten all at once when it grows past `openedAtMost`.
 */
const opened = new Map<string, { sid: string; until: number }>();
let openedUnder = '';
const openedForMs = 60_000;
const openedAtMost = 10_000;

/**
 * Has Auth.js make the session cookie for a grant our own sign-in check issued, and sets only
 * that cookie. A person's cookie lasts until the browser closes (a shared or watched device keeps
 * no trace after it); staff's lasts the session's 8 hours.
 */
export async function setSessionCookie(event: RequestEvent, grant: string): Promise<void> {
	let role: sessions.Role | undefined;
	const request = new Request(new URL('/auth/callback/grant', config().origin), {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant, callbackUrl: '/' })
	});
	const answer = await Auth(request, {
		...authConfig((redeemed) => (role = redeemed.role)),
		raw
	});
	// Auth.js also answers with a callback-url cookie; it would only be a trace of the visit.
	const session = answer.cookies?.find((cookie) => cookie.name === cookieName());
	if (!session?.value || !role) return;
	event.cookies.set(session.name, session.value, {
		...cookieOptions(),
		...(role === 'person' ? {} : { maxAge: sessions.absoluteHours * 3600 })
	});
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

/** Clears the session cookie (our session row is ended separately). */
export function clearCookie(event: RequestEvent): void {
	event.cookies.delete(cookieName(), cookieOptions());
}
