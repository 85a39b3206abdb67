import { requirePerson } from '$lib/server/auth';
import type { LayoutServerLoad } from './$types';

// Each page's own load calls requirePerson too: a layout load does not run on every request.
export const load: LayoutServerLoad = (event) => {
	const person = requirePerson(event);
	return { expiresInMs: person.expiresAt - Date.now() };
};
