import { fail, redirect } from '@sveltejs/kit';
import { issueCookie, requirePendingStaff, staff } from '$lib/server/auth';
import { readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const user = requirePendingStaff(event);
	if (!staff.isEnrolled(user.userId)) redirect(303, '/staff/enrol');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requirePendingStaff(event);
		const body = await readForm(event.request);
		if (!body.ok) return fail(body.status, { errors: { form: body.error } });
		const code = String(body.form.get('code') ?? '').slice(0, 40);
		if (!(await staff.verifySecondFactor(user, code, event.getClientAddress()))) {
			return fail(400, { errors: { code: 'staff.verify.errors.code' } });
		}
		return issueCookie(event, staff.completeSignIn(user), '/staff');
	}
};
