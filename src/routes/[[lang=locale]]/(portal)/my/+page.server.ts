import * as cases from '$lib/server/cases';
import { requireOwnCase } from '$lib/server/portal';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { row } = requireOwnCase(event);
	return { mine: cases.forPerson(row), overview: cases.person.overview(row) };
};
