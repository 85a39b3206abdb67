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
