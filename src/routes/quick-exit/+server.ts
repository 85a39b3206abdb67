import type { RequestHandler } from './$types';

/**
 * The quick exit's beacon: the page has already gone, this clears what the browser kept.
 * Later domains (sessions, referral drafts) end their state here too.
 */
export const POST: RequestHandler = () => {
	return new Response(null, {
		status: 204,
		headers: { 'Clear-Site-Data': '"cache", "cookies", "storage"', 'Cache-Control': 'no-store' }
	});
};
