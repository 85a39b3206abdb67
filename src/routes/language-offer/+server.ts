import { redirect } from '@sveltejs/kit';
import { dismissLanguageOffer } from '$lib/server/language-offer';
import { readForm } from '$lib/server/forms';
import { safeReturnPath } from '$lib/server/return-path';
import type { RequestHandler } from './$types';

/**
 * "No thanks" to the page in the browser's language: hides the offer and returns to the page,
 * as /exit-notice does for the quick-exit notice. A body that cannot be read still hides it.
 */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
	const body = await readForm(request);
	dismissLanguageOffer(cookies);
	redirect(303, body.ok ? safeReturnPath(body.form.get('return'), url.origin) : '/');
};
