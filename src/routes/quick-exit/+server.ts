import type { RequestEvent } from '@sveltejs/kit';
import { clearCookie, devices, sessions } from '$lib/server/auth';
import { browserCookie } from '$lib/server/auth/email-links';
import { config } from '$lib/server/config';
import { database, withoutWaiting } from '$lib/server/db';
import { exitNoticeCookie } from '$lib/server/exit-notice';
import { languageOfferCookie } from '$lib/server/language-offer';
import { drafts } from '$lib/server/referrals';
import * as draftCookie from '$lib/server/referrals/draft-cookie';
import type { RequestHandler } from './$types';

/** Runs one tidying step of leaving; a failure is logged and never stops the exit itself. */
function attempt(what: string, step: () => void): void {
	try {
		step();
	} catch (error) {
		console.error(`Quick exit could not ${what}:`, error);
	}
}

/**
 * Ends the session, deletes the unsent referral draft and drops their cookies and the device's.
 * Leaving comes first: with the database locked (a script re-sealing the data, say) its writes
 * fail at once instead of waiting, and the redirect, the cookies and Clear-Site-Data still go;
 * a session left unended then times out on its own, its cookie already gone.
 */
function forget(event: RequestEvent): void {
	withoutWaiting(database(), () => {
		const user = event.locals.user;
		if (user) attempt('end the session', () => sessions.end(user.sessionId));
		attempt('delete the draft', () => drafts.discard(draftCookie.read(event.cookies)));
	});
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
