import { redirect } from '@sveltejs/kit';
import { organisationSignIn, organisations } from '$lib/server/auth';
import type { RequestHandler } from './$types';

/**
 * Where an organisation's provider sends the browser back (the redirect URI its administrator
 * registered): on to our second factor, or back to the sign-in page with the reason it was refused.
 */
export const GET: RequestHandler = async (event) => {
	const org = organisations.active(event.params.id);
	if (!org) redirect(303, organisationSignIn.refusedPage('staff', 'unavailable'));
	const audience = organisationSignIn.audienceOf(org);
	const finished = await organisationSignIn.finish(event, org);
	if (!finished.ok) {
		const until = finished.reason === 'lockedOut' ? finished.until : undefined;
		redirect(303, organisationSignIn.refusedPage(audience, finished.reason, until));
	}
	redirect(303, organisationSignIn.pages[audience].secondFactor);
};
