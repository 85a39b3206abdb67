import { requirePerson } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import * as messages from '$lib/server/messages';
import type { LayoutServerLoad } from './$types';

// Each page's own load calls requirePerson too: a layout load does not run on every request.
export const load: LayoutServerLoad = (event) => {
	const person = requirePerson(event);
	const caseId = cases.person.caseIdOf(person.userId);
	return {
		expiresInMs: person.expiresAt - Date.now(),
		unread: caseId ? messages.unread(caseId, 'person') : 0,
		// The court page is offered once the case has a hearing.
		hasHearing: cases.person.hasHearing(person.userId)
	};
};
