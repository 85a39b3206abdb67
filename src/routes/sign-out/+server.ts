import * as audit from '$lib/server/audit';
import { clearCookie, sessions } from '$lib/server/auth';
import { safeReturnPath } from '$lib/server/exit-notice';
import { readForm } from '$lib/server/forms';
import type { RequestHandler } from './$types';

/** Ends the session on the server, clears the cookie and what the browser kept. */
export const POST: RequestHandler = async (event) => {
	const form = await readForm(event.request);
	const user = event.locals.user;
	if (user) {
		sessions.end(user.sessionId);
		audit.record('sign_out', { id: user.userId, role: user.role });
	}
	clearCookie(event);
	// A thrown redirect would drop headers set with setHeaders, so the response is built here.
	return new Response(null, {
		status: 303,
		headers: {
			location: safeReturnPath(form === 'tooLarge' ? '/' : form.get('return')),
			'clear-site-data': '"cache", "cookies", "storage"'
		}
	});
};
