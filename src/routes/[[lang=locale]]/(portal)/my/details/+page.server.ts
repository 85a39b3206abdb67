import { error } from '@sveltejs/kit';
import { requirePerson } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const person = requirePerson(event);
	const preferences = cases.person.preferences(person.userId);
	if (!preferences) error(404, 'not-found');
	return { preferences, saved: event.url.searchParams.get('saved') };
};
