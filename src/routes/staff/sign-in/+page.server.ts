import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { issueCookie, staff } from '$lib/server/auth';
import { staffSignInSchema, unlockTime } from '$lib/server/auth/sign-in-form';
import { fieldErrors, formObject, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user && locals.user.role !== 'person' && !locals.user.secondFactorPending) {
		redirect(303, '/staff');
	}
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const body = await readForm(event.request);
		if (!body.ok) return fail(body.status, { email: '', errors: { form: body.error } });
		const input = formObject(body.form, ['email', 'password']);
		const email = typeof input.email === 'string' ? input.email.slice(0, 254) : '';
		const parsed = v.safeParse(staffSignInSchema, input);
		if (!parsed.success) return fail(400, { email, errors: fieldErrors(parsed.issues) });
		const result = await staff.signInWithPassword(
			parsed.output.email,
			parsed.output.password,
			event.getClientAddress(),
			event.cookies
		);
		if (!result.ok) {
			if (result.reason === 'lockedOut') {
				return fail(429, {
					email,
					errors: { email: 'staff.signIn.errors.lockedOut' },
					time: unlockTime(result.until, 'en-GB')
				});
			}
			return fail(400, { email, errors: { email: 'staff.signIn.errors.invalid' } });
		}
		return issueCookie(event, result.grant, '/staff/verify');
	}
};
