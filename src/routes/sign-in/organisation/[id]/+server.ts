import { redirect } from '@sveltejs/kit';
import { organisationSignIn, organisations } from '$lib/server/auth';
import type { RequestHandler } from './$types';

/**
 * "Sign in with <organisation>": a plain link from a sign-in page, answered with a redirect to
 * the organisation's own sign-in page (no JavaScript needed). A link, not a form: our CSP's
 * `form-action 'self'` would stop a form's redirect to another site. Starting is harmless: only
 * the browser holding the state, PKCE and nonce cookies set here can finish.
 */
export const GET: RequestHandler = async (event) => {
	const audience = event.url.searchParams.get('audience') === 'partner' ? 'partner' : 'staff';
	const org = organisations.active(event.params.id);
	if (!org || organisationSignIn.audienceOf(org) !== audience) {
		redirect(303, organisationSignIn.refusedPage(audience, 'unavailable'));
	}
	// Refused too often from here: told to wait before the trip to the organisation, not after.
	const until = organisationSignIn.waitUntil(event, org);
	if (until) redirect(303, organisationSignIn.refusedPage(audience, 'lockedOut', until));
	const to = await organisationSignIn.start(event, org);
	redirect(303, to ?? organisationSignIn.refusedPage(audience, 'failed'));
};
