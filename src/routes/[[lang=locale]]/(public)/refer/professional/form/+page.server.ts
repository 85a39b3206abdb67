import { redirect } from '@sveltejs/kit';
import { randomBytes } from 'node:crypto';
import { localizePath } from '$lib/i18n/locales';
import { readValid } from '$lib/server/forms';
import * as professional from '$lib/server/referrals/professional';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url, locals, setHeaders }) => {
	// A refused form shows what was typed about the person: no cache may keep it.
	setHeaders({ 'Cache-Control': 'no-store' });
	const agreed = url.searchParams.get('agreed');
	// The form follows the agreement question: without a yes (or a child at risk), ask it first.
	if (agreed !== 'yes' && agreed !== 'child_at_risk') {
		redirect(303, localizePath('/refer/professional', locals.lang));
	}
	return { agreed, formToken: randomBytes(24).toString('base64url') };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const sent = await readValid(request, professional.professionalForm);
		if (!sent.ok) return sent.failure;
		const result = professional.submit(sent.output);
		if (!result.ok) redirect(303, localizePath('/refer/professional/not-agreed', locals.lang));
		const done = localizePath('/refer/professional/sent', locals.lang);
		redirect(303, result.urgent ? `${done}?urgent` : done);
	}
};
