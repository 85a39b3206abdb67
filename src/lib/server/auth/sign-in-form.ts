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
