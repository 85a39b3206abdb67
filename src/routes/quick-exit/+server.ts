import { clearCookie, sessions } from '$lib/server/auth';
import { drafts } from '$lib/server/referrals';
import type { RequestHandler } from './$types';

/** The quick exit's beacon: the page has already gone; this wipes what the visit left behind. */
export const POST: RequestHandler = (event) => {
	drafts.discard(event.cookies);
	if (event.locals.user) sessions.end(event.locals.user.sessionId);
	clearCookie(event);
	return new Response(null, {
		status: 204,
		headers: { 'Clear-Site-Data': '"cache", "cookies", "storage"', 'Cache-Control': 'no-store' }
	});
};
