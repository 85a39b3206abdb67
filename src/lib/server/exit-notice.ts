import type { Cookies } from '@sveltejs/kit';

/** The cookie that hides the first-visit quick-exit notice once it has been read. */
export const exitNoticeCookie = 'od_exit_notice';

/**
 * Remembers that the notice was read, for this browser session only: a lasting cookie would
 * tell someone looking through the browser that this site was visited.
 */
export function dismissExitNotice(cookies: Cookies): void {
	cookies.set(exitNoticeCookie, 'seen', { path: '/', httpOnly: true, sameSite: 'lax' });
}

/** A same-site path to go back to, or the home page: never an open redirect. */
export function safeReturnPath(value: unknown): string {
	if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return '/';
	if (value.includes('\\') || /[\r\n]/.test(value)) return '/';
	return value;
}
