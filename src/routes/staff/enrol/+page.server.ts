import { fail, redirect } from '@sveltejs/kit';
import { requirePendingStaff, setSessionCookie, staff } from '$lib/server/auth';
import { readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePendingStaff(event);
	const enrolment = await staff.enrolment(user);
	if (enrolment) return enrolment;
	// Straight after the enrolment action the page shows the recovery codes, nothing else.
	if (event.request.method === 'POST') return { svg: '', secret: '' };
	redirect(303, '/staff/verify');
};

export const actions: Actions = {
	default: async (event) => {
		const user = requirePendingStaff(event);
		// An enrolled account has nothing to enrol: it proves its second factor at /staff/verify,
		// and its secret is never sent back, not even beside an error.
		if (staff.isEnrolled(user.userId)) redirect(303, '/staff/verify');
		const body = await readForm(event.request);
		const code = body.ok
			? String(body.form.get('code') ?? '')
					.trim()
					.slice(0, 10)
			: '';
		const codes = body.ok && (await staff.confirmEnrolment(user, code));
		if (!codes) {
			const enrolment = await staff.enrolment(user);
			if (!enrolment) redirect(303, '/staff/verify');
			return body.ok
				? fail(400, { errors: { code: 'staff.enrol.errors.code' }, ...enrolment })
				: fail(body.status, { errors: { form: body.error }, ...enrolment });
		}
		// The first code proves the app works: signing in completes under a new session id.
		await setSessionCookie(event, staff.completeSignIn(user));
		return { codes };
	}
};
