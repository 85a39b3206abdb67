import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * "Stay signed in": reaching the server is what extends a session (the session hook touches it);
 * a plain form post comes back to the portal.
 */
export const POST: RequestHandler = ({ locals, request }) => {
	if (!locals.user) error(401, 'signed-out');
	if (request.headers.get('sec-fetch-mode') === 'navigate') redirect(303, '/my');
	return new Response(null, { status: 204 });
};
