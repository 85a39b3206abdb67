import { redirect } from '@sveltejs/kit';
import { dismissExitNotice } from '$lib/server/exit-notice';
import { readForm } from '$lib/server/forms';
import { safeReturnPath } from '$lib/server/return-path';
import type { RequestHandler } from './$types';

/**
 * "I understand": hides the first-visit quick-exit notice and returns to the page. A body that
 * cannot be read still hides the notice (it was dismissed) and goes home, not to a guessed page.
 */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
	const body = await readForm(request);
	dismissExitNotice(cookies);
	redirect(303, body.ok ? safeReturnPath(body.form.get('return'), url.origin) : '/');
};
