import * as audit from '$lib/server/audit';
import { clearCookie, devices, sessions } from '$lib/server/auth';
import { readForm } from '$lib/server/forms';
import { safeReturnPath } from '$lib/server/return-path';
import type { RequestHandler } from './$types';

/**
 * Ends the session on the server, clears the cookie and what the browser kept. A body that cannot
 * be read still signs out (refusing would leave a frightened person signed in) and goes home.
 */
export const POST: RequestHandler = async (event) => {
	const body = await readForm(event.request);
	const user = event.locals.user;
	if (user) {
		sessions.end(user.sessionId);
		audit.record('sign_out', { id: user.userId, role: user.role });
	}
	clearCookie(event);
	devices.forget(event.cookies);
	// A thrown redirect would drop headers set with setHeaders, so the response is built here.
	return new Response(null, {
		status: 303,
		headers: {
			location: body.ok ? safeReturnPath(body.form.get('return'), event.url.origin) : '/',
			'clear-site-data': '"cache", "cookies", "storage"'
		}
	});
};
