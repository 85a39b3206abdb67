import * as cases from '$lib/server/cases';
import { oversees } from '$lib/server/cases/access';
import { manualStatuses } from '$lib/server/cases/changes';
import {
	assignForm,
	closeForm,
	firstContactForm,
	noteForm,
	statusForm
} from '$lib/server/cases/schemas';
import { caseOutcomes } from '$lib/server/db/schema';
import { act, viewCase } from './case';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { actor, details } = viewCase(event);
	return {
		details,
		oversees: oversees(actor),
		timeline: cases.record.timeline(details.id),
		caseworkers: oversees(actor) ? cases.record.namedContactChoices() : [],
		statuses: [...manualStatuses],
		outcomes: [...caseOutcomes]
	};
};

export const actions: Actions = {
	assign: (event) =>
		act(event, 'assign', assignForm, ['caseworker'], (actor, row, input) =>
			cases.changes.assign(actor, row, input.caseworker)
		),
	contacted: (event) =>
		act(event, 'contacted', firstContactForm, ['channel'], (actor, row, input) =>
			cases.changes.recordFirstContact(actor, row, input.channel)
		),
	status: (event) =>
		act(event, 'status', statusForm, ['status'], (actor, row, input) =>
			cases.changes.setStatus(actor, row, input.status)
		),
	close: (event) =>
		act(event, 'close', closeForm, ['outcome'], (actor, row, input) =>
			cases.changes.close(actor, row, input.outcome)
		),
	note: (event) =>
		act(event, 'note', noteForm, ['note'], (actor, row, input) =>
			cases.changes.addNote(actor, row, input.note)
		)
};
