import { redirect } from '@sveltejs/kit';
import { dismissExitNotice, safeReturnPath } from '$lib/server/exit-notice';
import type { RequestHandler } from './$types';

/** "I understand": hides the first-visit quick-exit notice and returns to the page. */
export const POST: RequestHandler = async ({ request, cookies }) => {
	const form = await request.formData().catch(() => new FormData());
	dismissExitNotice(cookies);
	redirect(303, safeReturnPath(form.get('return')));
};
