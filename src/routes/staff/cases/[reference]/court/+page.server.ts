import * as court from '$lib/server/court';
import { oversees } from '$lib/server/cases/access';
import { hearingForm, requestDoneForm } from '$lib/server/cases/schemas';
import { hearingTypes } from '$lib/server/db/schema';
import { act, viewCase } from '../case';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { actor, details } = viewCase(event);
	return {
		details,
		oversees: oversees(actor),
		hearings: court.hearingsFor(details.id),
		requests: court.requestsFor(details.id),
		// `?change=<id>` opens the form on one hearing, filled in, to change it.
		changing: event.url.searchParams.get('change'),
		courts: court.allCourts().map((c) => ({ id: c.id, name: c.name })),
		types: [...hearingTypes]
	};
};

export const actions: Actions = {
	hearing: (event) =>
		act(
			event,
			'hearing',
			hearingForm,
			['hearing', 'court', 'date', 'time', 'type'],
			(actor, row, { hearingId, ...hearing }) =>
				hearingId
					? court.changeHearing(actor, row, hearingId, hearing)
					: court.recordHearing(actor, row, hearing)
		),
	requestDone: (event) =>
		act(event, 'requestDone', requestDoneForm, ['request'], (actor, row, input) =>
			court.completeRequest(actor, row, input.request)
		)
};
