import { fail, redirect } from '@sveltejs/kit';
import { requirePendingStaff, setSessionCookie, staff } from '$lib/server/auth';
import { readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePendingStaff(event);
	if (staff.isEnrolled(user.userId)) {
		// Straight after the enrolment action the page shows the recovery codes, nothing else.
		if (event.request.method === 'POST') return { svg: '', secret: '' };
		redirect(303, '/staff/verify');
	}
	return await staff.enrolment(user);
};

export const actions: Actions = {
	default: async (event) => {
		const user = requirePendingStaff(event);
		const form = await readForm(event.request);
		const code =
			form === 'tooLarge'
				? ''
				: String(form.get('code') ?? '')
						.trim()
						.slice(0, 10);
		const codes = await staff.confirmEnrolment(user, code);
		if (!codes) {
			return fail(400, {
				errors: { code: 'staff.enrol.errors.code' },
				...(await staff.enrolment(user))
			});
		}
		// The first code proves the app works: signing in completes under a new session id.
		await setSessionCookie(event, staff.completeSignIn(user));
		return { codes };
	}
};
