import { fail, redirect } from '@sveltejs/kit';
import { localizePath } from '$lib/i18n/locales';
import { stepsFor } from '$lib/referral/steps';
import * as referrals from '$lib/server/referrals';
import * as draftCookie from '$lib/server/referrals/draft-cookie';
import { withoutExpired } from '$lib/server/referrals/expired';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ cookies, setHeaders, url }) => {
	setHeaders({ 'Cache-Control': 'no-store' });
	const draft = referrals.drafts.visit(draftCookie.read(cookies));
	const live = draft?.caseId ? undefined : draft;
	const answers = referrals.drafts.answersOf(live);
	return {
		answers,
		journey: stepsFor(answers),
		missing: referrals.missingSteps(live),
		passphraseChosen: Boolean(live?.passphraseHash),
		// Sent here after a changed answer found the earlier ones deleted (`lost`).
		expired: url.searchParams.has('expired') ? referrals.drafts.draftIdleMinutes : null,
		action: withoutExpired(url)
	};
};

export const actions: Actions = {
	default: async ({ cookies, locals }) => {
		const sent = await referrals.submit(draftCookie.read(cookies));
		if (!sent.ok) return fail(400, { missing: sent.missing });
		redirect(303, localizePath('/refer/done', locals.lang));
	}
};
