import { clientAddress } from '$lib/server/http/client-address';
import { redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { localizePath } from '$lib/i18n/locales';
import { people } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import type { PreferencePart } from '$lib/server/cases/person';
import { readValid } from '$lib/server/forms';
import { passphraseMaxLength } from '$lib/referral/passphrase';
import { requireOwnCase, requireOwnCaseToChange } from '$lib/server/portal';
import { stepSchemas } from '$lib/server/referrals/schemas';
import type { Actions, PageServerLoad } from './$types';

// The same schemas as the referral steps, so a change obeys the rules the first answer did; the
// contact part also takes the passphrase again (checked below, only when the contact changes).
const partForms = {
	contact: v.intersect([
		stepSchemas.contact,
		v.object({
			passphrase: v.pipe(
				v.optional(v.string('my.details.passphraseWrong'), ''),
				v.maxLength(passphraseMaxLength, 'my.details.passphraseWrong')
			)
		})
	]),
	language: stepSchemas.language,
	consent: stepSchemas.consent
} satisfies Record<PreferencePart, unknown>;

export const load: PageServerLoad = (event) => {
	const { row } = requireOwnCase(event);
	const preferences = cases.person.preferences(row);
	const part = event.params.part as PreferencePart;
	return { part, values: preferences[part] as Record<string, unknown> };
};

export const actions: Actions = {
	default: async (event) => {
		const { person, row } = requireOwnCaseToChange(event);
		const part = event.params.part as PreferencePart;
		const sent = await readValid(event.request, partForms[part], { secret: ['passphrase'] });
		if (!sent.ok) return sent.failure;
		const { passphrase, ...answers } = { passphrase: '', ...sent.output };
		// A new safe email or phone could hand the account to whoever holds this unlocked device
		// (a link to it, notices to it), so it takes the passphrase again.
		if (part === 'contact') {
			const now = cases.person.preferences(row).contact;
			const next = answers as { email: string; phone: string };
			if (now.email !== next.email || now.phone !== next.phone) {
				const confirmed = passphrase
					? await people.confirmPassphrase(person.userId, passphrase, clientAddress(event))
					: 'missing';
				if (confirmed !== 'ok') {
					const key = { missing: 'Missing', invalid: 'Wrong', lockedOut: 'LockedOut' }[confirmed];
					return sent.refuse('passphrase', `my.details.passphrase${key}`, {
						status: confirmed === 'lockedOut' ? 429 : 400
					});
				}
			}
		}
		if (!cases.person.updatePreferences(row, part, answers)) {
			return sent.refuse('form', 'my.details.closed');
		}
		redirect(303, `${localizePath('/my/details', event.locals.lang)}?saved=${part}`);
	}
};
