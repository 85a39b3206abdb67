import * as court from '$lib/server/court';
import { refuse } from '$lib/server/cases';
import { oversees } from '$lib/server/cases/access';
import { hearingForm, requestDoneForm } from '$lib/server/cases/schemas';
import { act, viewCase } from '../case';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { actor, details } = viewCase(event);
	return {
		details,
		oversees: oversees(actor),
		// Each with its version, which the form to change one sends back (court/index.ts).
		hearings: court
			.hearingsFor(details.id)
			.map((h) => ({ ...h, version: court.hearingVersion(h) })),
		requests: court.requestsFor(details.id),
		// `?change=<id>` opens the form on one hearing, filled in, to change it.
		changing: event.url.searchParams.get('change'),
		courts: court.allCourts().map((c) => ({ id: c.id, name: c.name })),
		types: [...court.hearingTypes]
	};
};

// Recording and changing a hearing share one form (and its name, so its errors show there).
const hearing = { name: 'hearing', done: 'staff.done.hearing' } as const;

export const actions: Actions = {
	recordHearing: (event) =>
		act(event, hearingForm, hearing, (actor, row, { courtId, startsAt, type }) =>
			court.recordHearing(actor, row, { courtId, startsAt, type })
		),
	changeHearing: (event) =>
		act(event, hearingForm, hearing, (actor, row, { hearingId, was, ...details }) =>
			hearingId
				? court.changeHearing(actor, row, hearingId, details, was)
				: refuse('form', 'notChanged')
		),
	markRequestDone: (event) =>
		act(
			event,
			requestDoneForm,
			{ name: 'markRequestDone', done: 'staff.done.requestDone' },
			(actor, row, input) => court.completeRequest(actor, row, input.request)
		)
};
