import { crimeTypes, needChoices, preferredLanguages } from '$lib/referral/steps';
import { requireStaff } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import { oversees } from '$lib/server/cases/access';
import { readFilters } from '$lib/server/cases/schemas';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const user = requireStaff(event);
	const actor = { userId: user.userId, role: user.role };
	// Supervisors start at the triage queue; a caseworker starts at their open cases.
	const defaults = { status: oversees(actor) ? cases.queue.triage : cases.queue.open };
	const filters = { ...defaults, ...readFilters(event.url.searchParams) };
	const result = cases.queue.list(actor, filters);
	// Plain links, so paging works without JavaScript: the same filters, another `after`.
	const pageHref = (after: string | null) => {
		const params = new URLSearchParams(event.url.searchParams);
		params.delete('after');
		if (after) params.set('after', after);
		const search = params.toString();
		return search ? `?${search}` : event.url.pathname;
	};
	return {
		filters,
		result,
		paging: {
			next: result.next ? pageHref(result.next) : null,
			first: filters.after ? pageHref(null) : null
		},
		oversees: oversees(actor),
		choices: {
			statuses: [cases.queue.triage, cases.queue.open, ...cases.statuses],
			crimeTypes: [...crimeTypes],
			needs: [...needChoices],
			sources: cases.queue.sourceChoices,
			languages: preferredLanguages.map((l) => ({ code: l.code, name: l.name })),
			caseworkers: oversees(actor) ? cases.record.namedContactChoices() : []
		}
	};
};
