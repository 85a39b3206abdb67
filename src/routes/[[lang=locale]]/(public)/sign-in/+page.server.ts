import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { localizePath } from '$lib/i18n/locales';
import { issueCookie, people } from '$lib/server/auth';
import { personSignInSchema, unlockTime } from '$lib/server/auth/sign-in-form';
import { fieldErrors, formObject, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user?.role === 'person') redirect(303, localizePath('/my', locals.lang));
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const body = await readForm(event.request);
		if (!body.ok) return fail(body.status, { reference: '', errors: { form: body.error } });
		const input = formObject(body.form, ['reference', 'passphrase']);
		const reference = typeof input.reference === 'string' ? input.reference.slice(0, 40) : '';
		const parsed = v.safeParse(personSignInSchema, input);
		if (!parsed.success) return fail(400, { reference, errors: fieldErrors(parsed.issues) });

		const result = await people.signIn(
			parsed.output.reference,
			parsed.output.passphrase,
			event.getClientAddress(),
			event.cookies
		);
		if (!result.ok) {
			if (result.reason === 'lockedOut') {
				const time = unlockTime(result.until, event.locals.lang);
				return fail(429, { reference, errors: { reference: 'signIn.errors.lockedOut' }, time });
			}
			const key =
				result.reason === 'accountLocked' ? 'signIn.errors.accountLocked' : 'signIn.errors.invalid';
			return fail(400, { reference, errors: { reference: key } });
		}
		return issueCookie(event, result.grant, localizePath('/my', event.locals.lang));
	}
};
