import { drafts } from '$lib/server/referrals';
import type { RequestHandler } from './$types';

/** The quick exit's beacon: the page has already gone; this wipes what the visit left behind. */
export const POST: RequestHandler = ({ cookies }) => {
	drafts.discard(cookies);
	return new Response(null, {
		status: 204,
		headers: { 'Clear-Site-Data': '"cache", "cookies", "storage"', 'Cache-Control': 'no-store' }
	});
};
