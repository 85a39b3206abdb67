import type { Cookies } from '@sveltejs/kit';

/** The cookie holding the referral draft's token: a session cookie, gone when the browser closes. */
export const name = 'od_referral';

/** The draft token the browser sent, if any. */
export function read(cookies: Cookies): string | undefined {
	return cookies.get(name);
}

/** Gives the browser the token of the draft it just started. */
export function write(cookies: Cookies, token: string): void {
	// No maxAge: a session cookie, deleted when the browser closes, as the privacy page promises.
	cookies.set(name, token, { path: '/', httpOnly: true, sameSite: 'lax' });
}

/** Drops the draft cookie: quick exit, or starting again. */
export function clear(cookies: Cookies): void {
	cookies.delete(name, { path: '/' });
}
