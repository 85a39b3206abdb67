import * as v from 'valibot';
import { parseReference } from '$lib/referral/reference';
import { passphraseMaxLength } from '$lib/referral/passphrase';

const e = (key: string) => `signIn.errors.${key}`;

/** The person's sign-in form: a well-formed reference and a passphrase of sane length. */
export const personSignInSchema = v.object({
	reference: v.pipe(
		v.string(e('reference')),
		v.trim(),
		v.nonEmpty(e('referenceMissing')),
		v.maxLength(20, e('reference')),
		v.check((typed) => parseReference(typed) !== undefined, e('reference')),
		v.transform((typed) => parseReference(typed)!)
	),
	passphrase: v.pipe(
		v.string(e('passphraseMissing')),
		v.nonEmpty(e('passphraseMissing')),
		v.maxLength(passphraseMaxLength, e('passphraseTooLong'))
	)
});

/** Staff sign-in: an email-shaped value and a password of sane length. */
export const staffSignInSchema = v.object({
	email: v.pipe(
		v.string('staff.signIn.errors.email'),
		v.trim(),
		v.nonEmpty('staff.signIn.errors.email'),
		v.maxLength(254, 'staff.signIn.errors.email'),
		v.email('staff.signIn.errors.email')
	),
	password: v.pipe(
		v.string('staff.signIn.errors.password'),
		v.nonEmpty('staff.signIn.errors.password'),
		v.maxLength(256, 'staff.signIn.errors.passwordTooLong')
	)
});

/** A work password's shortest length: the first one an admin gives, and every one chosen. */
export const workPasswordMinLength = 12;

/**
 * A form that sets a worker's own password (enrolment, "change your password"): its other
 * fields, then the new password (`weak` says what a short one is told) typed twice alike.
 */
export function withNewPassword<E extends v.ObjectEntries>(entries: E, weak: string) {
	const confirm = 'staff.enrol.errors.confirm';
	return v.pipe(
		v.object({
			...entries,
			password: v.pipe(
				v.string(weak),
				v.minLength(workPasswordMinLength, weak),
				v.maxLength(256, 'staff.enrol.errors.passwordTooLong')
			),
			confirm: v.string(confirm)
		}),
		v.forward(
			v.check((form) => form.password === form.confirm, confirm),
			// The key is there whatever `entries` holds; valibot cannot see that of a generic object.
			['confirm'] as never
		)
	);
}

/** When a lockout ends, as a London clock time in the reader's language ("14:05"). */
export function unlockTime(until: Date, lang: string): string {
	return until.toLocaleTimeString(lang, {
		hour: '2-digit',
		minute: '2-digit',
		timeZone: 'Europe/London'
	});
}
