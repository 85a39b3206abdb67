import * as cases from '$lib/server/cases';
import * as partners from '$lib/server/partners/for-person';
import { requireOwnCase } from '$lib/server/portal';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { row } = requireOwnCase(event);
	return {
		preferences: cases.person.preferences(row),
		// The agencies the person agreed to share with, each of which they may stop.
		sharing: partners.sharedWith(row.id),
		saved: event.url.searchParams.get('saved')
	};
};
