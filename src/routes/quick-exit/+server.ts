import type { RequestEvent } from '@sveltejs/kit';
import { clearCookie, devices, sessions } from '$lib/server/auth';
import { browserCookie } from '$lib/server/auth/email-links';
import { config } from '$lib/server/config';
import { database, isLocked, withoutWaiting } from '$lib/server/db';
import { exitNoticeCookie } from '$lib/server/exit-notice';
import { languageOfferCookie } from '$lib/server/language-offer';
import { drafts } from '$lib/server/referrals';
import * as draftCookie from '$lib/server/referrals/draft-cookie';
import type { RequestHandler } from './$types';

/**
 * After how long a tidying step that found the database locked is tried again, each time still
 * without waiting: a script or another writer usually lets go within moments, and the exit has
 * long since gone by then.
 */
const retryAfterMs = [50, 250, 1000, 5000, 30_000];

/**
 * Runs one tidying step of leaving with the database's busy wait off, so that it never holds the
 * exit. A locked database fails it at once: it is tried again in the background (`retryAfterMs`).
 * Any other failure, or the last, is logged; none stops the exit itself.
 */
function attempt(what: string, step: () => void, tries = 0): void {
	try {
		withoutWaiting(database(), step);
	} catch (error) {
		const delay = retryAfterMs[tries];
		if (isLocked(error) && delay !== undefined) {
			setTimeout(() => attempt(what, step, tries + 1), delay).unref();
			return;
		}
		console.error(`Quick exit could not ${what}:`, error);
	}
}

/**
 * Ends the session, deletes the unsent referral draft and drops their cookies and the device's.
 * Leaving comes first: with the database locked (a script re-sealing the data, say) the two
 * writes fail at once instead of waiting, and the redirect, the cookies and Clear-Site-Data still
 * go; the writes are tried again shortly after (`attempt`), with what they need read now.
 */
function forget(event: RequestEvent): void {
	const user = event.locals.user;
	const draft = draftCookie.read(event.cookies);
	const now = new Date();
	if (user) attempt('end the session', () => sessions.end(user.sessionId, now));
	attempt('delete the draft', () => drafts.discard(draft));
	draftCookie.clear(event.cookies);
	clearCookie(event);
	devices.forget(event.cookies);
	// Each of these says the site was visited (the notice was read, the language offer seen, a
	// sign-in link asked for): dropped by name too, for a browser that ignores Clear-Site-Data.
	for (const name of [exitNoticeCookie, languageOfferCookie, browserCookie]) {
		if (event.cookies.get(name) !== undefined) event.cookies.delete(name, { path: '/' });
	}
}

// Cookies, Cache Storage, the service worker and the HTTP cache (which in Chromium also empties
// the back/forward cache), so Back or a reopened page finds nothing of the visit.
const wiped = {
	'Clear-Site-Data': '"cache", "cookies", "storage"',
	'Cache-Control': 'no-store'
};

/**
 * The quick exit without JavaScript (it is the button's link): wipes the visit, then sends the
 * tab on to the neutral site. A GET on purpose: a link is all a page without scripts has, and a
 * cross-site link here can do no more than sign a person out.
 */
export const GET: RequestHandler = (event) => {
	forget(event);
	// A thrown redirect would drop these headers, so the response is built here.
	return new Response(null, {
		status: 303,
		headers: { ...wiped, location: config().quickExitUrl.href }
	});
};

/** The quick exit's beacon: the page has already gone; this wipes what the visit left behind. */
export const POST: RequestHandler = (event) => {
	forget(event);
	return new Response(null, { status: 204, headers: wiped });
};
