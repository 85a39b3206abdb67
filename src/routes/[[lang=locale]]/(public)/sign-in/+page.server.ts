import { clientAddress } from '$lib/server/http/client-address';
import { redirect } from '@sveltejs/kit';
import { localizePath } from '$lib/i18n/locales';
import { issueCookie, people } from '$lib/server/auth';
import { personSignInSchema, unlockTime } from '$lib/server/auth/sign-in-form';
import { readValid } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user?.role === 'person') redirect(303, localizePath('/my', locals.lang));
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const sent = await readValid(event.request, personSignInSchema, { secret: ['passphrase'] });
		if (!sent.ok) return sent.failure;
		const result = await people.signIn(
			sent.output.reference,
			sent.output.passphrase,
			clientAddress(event),
			event.cookies
		);
		if (!result.ok) {
			if (result.reason === 'lockedOut') {
				const time = unlockTime(result.until, event.locals.lang);
				return sent.refuse('reference', 'signIn.errors.lockedOut', {
					status: 429,
					params: { time }
				});
			}
			const key =
				result.reason === 'accountLocked' ? 'signIn.errors.accountLocked' : 'signIn.errors.invalid';
			return sent.refuse('reference', key);
		}
		return issueCookie(event, result.grant, localizePath('/my', event.locals.lang));
	}
};
