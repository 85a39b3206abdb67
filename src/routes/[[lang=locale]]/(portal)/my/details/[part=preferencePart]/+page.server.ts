import { fail, redirect } from '@sveltejs/kit';
import { localizePath } from '$lib/i18n/locales';
import { people } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import type { PreferencePart } from '$lib/server/cases/person';
import { parseForm, readForm } from '$lib/server/forms';
import { passphraseMaxLength } from '$lib/referral/passphrase';
import { requireOwnCase, requireOwnCaseToChange } from '$lib/server/portal';
import { stepFields, stepSchemas } from '$lib/server/referrals/schemas';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { row } = requireOwnCase(event);
	const preferences = cases.person.preferences(row);
	const part = event.params.part as PreferencePart;
	return { part, values: preferences[part] as Record<string, unknown> };
};

export const actions: Actions = {
	// The same schema as the referral step, so a change obeys the rules the first answer did.
	default: async (event) => {
		const { person, row } = requireOwnCaseToChange(event);
		const part = event.params.part as PreferencePart;
		const { fields, lists } = stepFields[part];
		const form = await readForm(event.request);
		const parsed = parseForm(form, stepSchemas[part], fields, lists);
		if (!parsed.ok) return fail(parsed.status, { errors: parsed.errors, values: parsed.values });
		// A new safe email or phone could hand the account to whoever holds this unlocked device
		// (a link to it, notices to it), so it takes the passphrase again.
		if (part === 'contact') {
			const now = cases.person.preferences(row).contact;
			const next = parsed.output as { email: string; phone: string };
			if (now.email !== next.email || now.phone !== next.phone) {
				const typed = form.ok ? form.form.get('passphrase') : '';
				const confirmed =
					typeof typed === 'string' && typed
						? await people.confirmPassphrase(
								person.userId,
								typed.slice(0, passphraseMaxLength + 1),
								event.getClientAddress()
							)
						: 'missing';
				if (confirmed !== 'ok') {
					const key = { missing: 'Missing', invalid: 'Wrong', lockedOut: 'LockedOut' }[confirmed];
					return fail(confirmed === 'lockedOut' ? 429 : 400, {
						errors: { passphrase: `my.details.passphrase${key}` },
						values: parsed.values
					});
				}
			}
		}
		if (!cases.person.updatePreferences(row, part, parsed.output as Record<string, unknown>)) {
			return fail(400, { errors: { form: 'my.details.closed' }, values: parsed.values });
		}
		redirect(303, `${localizePath('/my/details', event.locals.lang)}?saved=${part}`);
	}
};
