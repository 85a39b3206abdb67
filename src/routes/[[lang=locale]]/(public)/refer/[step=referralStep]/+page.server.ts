import { redirect } from '@sveltejs/kit';
import { localizePath } from '$lib/i18n/locales';
import { nextStep, previousStep, stepsFor, type StepSlug } from '$lib/referral/steps';
import { readValid } from '$lib/server/forms';
import { withoutExpired } from '$lib/server/referrals/expired';
import * as referrals from '$lib/server/referrals';
import * as draftCookie from '$lib/server/referrals/draft-cookie';
import { stepSchemas } from '$lib/server/referrals/schemas';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, cookies, url, setHeaders }) => {
	// A step shows what the person already told us: no cache may keep it.
	setHeaders({ 'Cache-Control': 'no-store' });
	const step = params.step as StepSlug;
	const draft = referrals.drafts.visit(draftCookie.read(cookies));
	const answers = referrals.drafts.answersOf(draft?.caseId ? undefined : draft);
	const journey = stepsFor(answers);
	const changing = url.searchParams.has('change');
	return {
		step,
		values: referrals.stepValues(answers, step),
		number: Math.max(journey.indexOf(step), 0) + 1,
		total: journey.length,
		back: changing ? '/refer/check' : `/refer/${previousStep(step, answers)}`.replace(/\/$/, ''),
		changing,
		// Sent here after the step before found the earlier answers deleted (`lost`).
		expired: url.searchParams.has('expired') ? referrals.drafts.draftIdleMinutes : null,
		// The form posts to this page without that flag, so a refusal does not say it again.
		action: withoutExpired(url)
	};
};

export const actions: Actions = {
	default: async ({ request, params, cookies, url, locals }) => {
		const step = params.step as StepSlug;
		// The passphrase is never sent back, not even to show it again beside an error.
		const sent = await readValid(request, stepSchemas[step], { secret: ['passphrase', 'confirm'] });
		if (!sent.ok) return sent.failure;
		const saved = await referrals.saveStep(draftCookie.read(cookies), step, sent.output);
		if (saved.startedDraft) draftCookie.write(cookies, saved.startedDraft);

		let next: string = nextStep(step, saved.answers);
		// "Not sure" gets the same safety information as "no": doubt about safety is a warning sign.
		if (step === 'safe-now' && saved.answers.safeNow !== 'safe') next = 'emergency';
		else if (url.searchParams.has('change') && step !== 'who') next = 'check';
		// Said on the next step: the earlier answers were deleted while the person was away. Not
		// after the first question, which had nothing before it (a new referral after one sent
		// an hour ago in the same browser finds that draft gone too).
		const said = saved.lost && step !== 'safe-now' && next !== 'emergency' ? '?expired' : '';
		redirect(303, localizePath(`/refer/${next}`, locals.lang) + said);
	}
};
