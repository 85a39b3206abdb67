import type { RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { clientAddress } from '$lib/server/http/client-address';
import { readValid } from '$lib/server/forms';
import { requirePartner, requireStaff } from './guards';
import { unlockTime, withNewPassword } from './sign-in-form';
import * as staff from './staff';
import type { Door } from './staff';
import type { SignedIn } from './sessions';

// "Change your password", one implementation for both doors: the console's at /staff/password
// and the partner area's at /partner/password. Only a worker fully signed in (second factor
// given) reaches it; a person's passphrase has its own ways back (people.ts).

const signedIn: Record<Door, (event: RequestEvent) => SignedIn> = {
	staff: (event) => requireStaff(event),
	partner: (event) => requirePartner(event)
};

const wrong = 'staff.password.errors.current';
const missing = 'staff.password.errors.currentMissing';
const weak = 'staff.password.errors.password';
const passwordForm = withNewPassword(
	{ current: v.pipe(v.string(missing), v.nonEmpty(missing), v.maxLength(256, wrong)) },
	weak
);

/** The page: nothing to load but who may see it. */
export function passwordLoad(door: Door) {
	return (event: RequestEvent) => {
		signedIn[door](event);
		return {};
	};
}

/** Checks the current password, then sets the new one and signs the worker out everywhere else. */
export function passwordAction(door: Door) {
	return async (event: RequestEvent) => {
		const user = signedIn[door](event);
		// No password is ever sent back, not even beside an error.
		const sent = await readValid(event.request, passwordForm, {
			secret: ['current', 'password', 'confirm']
		});
		if (!sent.ok) return sent.failure;
		const result = await staff.changePassword(
			user,
			sent.output.current,
			sent.output.password,
			clientAddress(event)
		);
		if (result.ok) return { changed: true };
		if (result.reason === 'lockedOut') {
			return sent.refuse('current', 'staff.password.errors.lockedOut', {
				status: 429,
				params: { time: unlockTime(result.until, 'en-GB') }
			});
		}
		if (result.reason === 'same') return sent.refuse('password', 'staff.password.errors.same');
		return sent.refuse('current', wrong);
	};
}

const resetError = (key: string) => `staff.resetSignIn.errors.${key}`;
/**
 * Resetting a worker's sign-in, by an admin or an agency's partner-admin: whose (`account`), and
 * the first password they are given in person (`firstPassword`: the page's other forms have a
 * `password` field of their own).
 */
export const resetSignInForm = v.object({
	account: v.pipe(
		v.string(resetError('account')),
		v.nonEmpty(resetError('account')),
		v.maxLength(64, resetError('notChanged'))
	),
	firstPassword: v.pipe(
		v.string(resetError('password')),
		v.minLength(staff.passwordMinLength, resetError('password')),
		v.maxLength(256, resetError('password'))
	)
});
