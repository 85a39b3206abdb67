import type { RequestEvent } from '@sveltejs/kit';
import { clearCookie, devices, sessions } from '$lib/server/auth';
import { config } from '$lib/server/config';
import { drafts } from '$lib/server/referrals';
import * as draftCookie from '$lib/server/referrals/draft-cookie';
import type { RequestHandler } from './$types';

/**
 * Ends the session, deletes the unsent referral draft and drops its cookies and the device's.
 * Should the database fail meanwhile, the exit still happens: leaving comes before tidying up
 * (the cookies and Clear-Site-Data still go; the session and draft expire on their own).
 */
function forget(event: RequestEvent): void {
	try {
		drafts.discard(draftCookie.read(event.cookies));
		if (event.locals.user) sessions.end(event.locals.user.sessionId);
	} catch (error) {
		console.error('Quick exit could not end the session or delete the draft:', error);
	}
	draftCookie.clear(event.cookies);
	clearCookie(event);
	devices.forget(event.cookies);
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
