import { clientAddress } from '$lib/server/http/client-address';
import { redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { localizePath } from '$lib/i18n/locales';
import { people } from '$lib/server/auth';
import { personSignInSchema, unlockTime } from '$lib/server/auth/sign-in-form';
import { readValid } from '$lib/server/forms';
import { stepSchemas } from '$lib/server/referrals/schemas';
import type { Actions } from './$types';

// The same passphrase rule as the referral, and a code as short as a reference.
const resetSchema = v.intersect([
	v.pick(personSignInSchema, ['reference']),
	v.object({
		code: v.pipe(
			v.string('signIn.errors.resetCode'),
			v.trim(),
			v.nonEmpty('signIn.errors.resetCode'),
			v.maxLength(20, 'signIn.errors.resetCode')
		)
	}),
	stepSchemas.passphrase
]);

export const actions: Actions = {
	default: async (event) => {
		const sent = await readValid(event.request, resetSchema, {
			secret: ['code', 'passphrase', 'confirm']
		});
		if (!sent.ok) return sent.failure;
		const { reference, code, passphrase } = sent.output;
		const result = await people.resetWithCode(reference, code, passphrase, clientAddress(event));
		if (!result.ok) {
			if (result.reason === 'lockedOut') {
				const time = unlockTime(result.until, event.locals.lang);
				return sent.refuse('code', 'signIn.errors.lockedOut', { status: 429, params: { time } });
			}
			return sent.refuse('code', 'signIn.errors.resetCode');
		}
		redirect(303, localizePath('/sign-in', event.locals.lang) + '?reset');
	}
};
