import * as cases from '$lib/server/cases';
import { requireOwnCase } from '$lib/server/portal';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { row } = requireOwnCase(event);
	return { preferences: cases.person.preferences(row), saved: event.url.searchParams.get('saved') };
};
