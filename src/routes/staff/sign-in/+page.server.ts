import { redirect } from '@sveltejs/kit';
import { issueCookie, organisationAccounts, organisations, staff } from '$lib/server/auth';
import { staffSignInSchema, unlockTime } from '$lib/server/auth/sign-in-form';
import { readValid } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user && locals.user.role !== 'person' && !locals.user.secondFactorPending) {
		redirect(303, '/staff');
	}
	// Why an organisation sign-in was refused (its callback sends the browser back here).
	const reason = url.searchParams.get('organisation');
	const refused = organisationAccounts.refusals.find((known) => known === reason);
	return {
		organisations: organisations.forSignIn('staff'),
		refusal: refused ? `staff.organisationSignIn.refused.${refused}` : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const sent = await readValid(event.request, staffSignInSchema, { secret: ['password'] });
		if (!sent.ok) return sent.failure;
		const result = await staff.signInWithPassword(
			sent.output.email,
			sent.output.password,
			event.getClientAddress(),
			event.cookies
		);
		if (!result.ok) {
			if (result.reason === 'lockedOut') {
				const time = unlockTime(result.until, 'en-GB');
				return sent.refuse('email', 'staff.signIn.errors.lockedOut', {
					status: 429,
					params: { time }
				});
			}
			return sent.refuse('email', 'staff.signIn.errors.invalid');
		}
		return issueCookie(event, result.grant, '/staff/verify');
	}
};
