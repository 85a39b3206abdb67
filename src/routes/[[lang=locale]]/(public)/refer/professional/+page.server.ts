import { redirect } from '@sveltejs/kit';
import { localizePath } from '$lib/i18n/locales';
import { readValid } from '$lib/server/forms';
import * as professional from '$lib/server/referrals/professional';
import type { Actions } from './$types';

export const actions: Actions = {
	// The first question on its own: without the person's agreement (and no child at risk) the
	// professional learns what to do instead before they type anything about the person.
	default: async ({ request, locals }) => {
		const sent = await readValid(request, professional.agreedForm);
		if (!sent.ok) return sent.failure;
		const { agreed } = sent.output;
		if (agreed === 'no') redirect(303, localizePath('/refer/professional/not-agreed', locals.lang));
		redirect(303, `${localizePath('/refer/professional/form', locals.lang)}?agreed=${agreed}`);
	}
};
