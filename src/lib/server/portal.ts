import { error, type RequestEvent } from '@sveltejs/kit';
import { requirePerson, type SignedIn } from '$lib/server/auth';
import type { CaseRow } from '$lib/server/cases/access';
import { ownCase } from '$lib/server/cases/person';

/** Each request's own case row, keyed by the request's `locals` (shared by its layout and page loads). */
const read = new WeakMap<App.Locals, CaseRow>();

function fetchOwnCase(person: SignedIn): CaseRow {
	const row = ownCase(person.userId);
	// Every person's account is made with their case; an account without one has nothing to show.
	if (!row) error(404, 'not-found');
	return row;
}

/**
 * For a portal page's load: the signed-in person and their own case, read once per request
 * however many loads (the portal layout's and the page's) ask. Anyone else is sent to sign in
 * or refused, as `requirePerson` does.
 */
export function requireOwnCase(event: RequestEvent): { person: SignedIn; row: CaseRow } {
	const person = requirePerson(event);
	let row = read.get(event.locals);
	if (!row) {
		row = fetchOwnCase(person);
		read.set(event.locals, row);
	}
	return { person, row };
}

/**
 * For an action or an endpoint that changes the case: read now, and not kept, so the loads that
 * run after an action in the same request read the case as the action left it.
 */
export function requireOwnCaseToChange(event: RequestEvent): { person: SignedIn; row: CaseRow } {
	const person = requirePerson(event);
	read.delete(event.locals);
	return { person, row: fetchOwnCase(person) };
}
