import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { localizePath } from '$lib/i18n/locales';
import { people } from '$lib/server/auth';
import { personSignInSchema, unlockTime } from '$lib/server/auth/sign-in-form';
import { fieldErrors, formObject, readForm } from '$lib/server/forms';
import { stepSchemas } from '$lib/server/referrals/schemas';
import type { Actions } from './$types';

// The same passphrase rule as the referral, and a code as short as a reference.
const resetSchema = v.intersect([
	v.pick(personSignInSchema, ['reference']),
	v.object({
		code: v.pipe(
			v.string(),
			v.trim(),
			v.nonEmpty('signIn.errors.resetCode'),
			v.maxLength(20, 'signIn.errors.resetCode')
		)
	}),
	stepSchemas.passphrase
]);

export const actions: Actions = {
	default: async (event) => {
		const body = await readForm(event.request);
		if (!body.ok) return fail(body.status, { reference: '', errors: { form: body.error } });
		const input = formObject(body.form, ['reference', 'code', 'passphrase', 'confirm']);
		const reference = typeof input.reference === 'string' ? input.reference.slice(0, 40) : '';
		const parsed = v.safeParse(resetSchema, input);
		if (!parsed.success) return fail(400, { reference, errors: fieldErrors(parsed.issues) });
		const { code, passphrase } = parsed.output;
		const result = await people.resetWithCode(
			parsed.output.reference,
			code,
			passphrase,
			event.getClientAddress()
		);
		if (!result.ok) {
			if (result.reason === 'lockedOut') {
				return fail(429, {
					reference,
					errors: { code: 'signIn.errors.lockedOut' },
					time: unlockTime(result.until, event.locals.lang)
				});
			}
			return fail(400, { reference, errors: { code: 'signIn.errors.resetCode' } });
		}
		redirect(303, localizePath('/sign-in', event.locals.lang) + '?reset');
	}
};
