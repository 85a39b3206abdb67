import * as v from 'valibot';
import { crimeTypes, needChoices, preferredLanguages } from '$lib/referral/steps';
import { requireStaff } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import { oversees } from '$lib/server/cases/access';
import { filtersForm } from '$lib/server/cases/schemas';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const user = requireStaff(event);
	const actor = { userId: user.userId, role: user.role };
	const query = Object.fromEntries(event.url.searchParams);
	// Supervisors start at the triage queue; a caseworker starts at their open cases.
	const defaults = { status: oversees(actor) ? cases.queue.triage : cases.queue.open };
	const parsed = v.safeParse(filtersForm, query);
	// A filter value we do not offer (an edited URL) is ignored rather than an error.
	const filters = { ...defaults, ...(parsed.success ? parsed.output : {}) };
	return {
		filters,
		result: cases.queue.list(actor, filters),
		oversees: oversees(actor),
		choices: {
			statuses: [cases.queue.triage, cases.queue.open, ...cases.statuses],
			crimeTypes: [...crimeTypes],
			needs: [...needChoices],
			languages: preferredLanguages.map((l) => ({ code: l.code, name: l.name })),
			caseworkers: oversees(actor) ? cases.record.namedContactChoices() : []
		}
	};
};
