import { error } from '@sveltejs/kit';
import { requirePerson } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const person = requirePerson(event);
	const mine = cases.forPerson(person.userId);
	const overview = cases.person.overview(person.userId);
	if (!mine || !overview) error(404, 'not-found');
	return { mine, overview };
};
