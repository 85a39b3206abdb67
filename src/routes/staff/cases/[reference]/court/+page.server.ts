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
		courts: court.allCourts().map((c) => ({ id: c.id, name: c.name })),
		types: [...hearingTypes]
	};
};

export const actions: Actions = {
	hearing: (event) =>
		act(event, 'hearing', hearingForm, ['court', 'date', 'time', 'type'], (actor, row, input) =>
			court.recordHearing(actor, row, input)
		),
	requestDone: (event) =>
		act(event, 'requestDone', requestDoneForm, ['request'], (actor, row, input) =>
			court.completeRequest(actor, row, input.request)
		)
};
