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
		outcomes: [...cases.outcomes]
	};
};

export const actions: Actions = {
	assign: (event) =>
		act(event, assignForm, { name: 'assign', done: 'staff.done.assign' }, (actor, row, input) =>
			cases.changes.assign(actor, row, input.caseworker)
		),
	markContacted: (event) =>
		act(
			event,
			firstContactForm,
			{ name: 'markContacted', done: 'staff.done.contacted' },
			(actor, row, input) => cases.changes.recordFirstContact(actor, row, input.channel)
		),
	changeStatus: (event) =>
		act(
			event,
			statusForm,
			{ name: 'changeStatus', done: 'staff.done.status' },
			(actor, row, input) => cases.changes.setStatus(actor, row, input.status)
		),
	close: (event) =>
		act(event, closeForm, { name: 'close', done: 'staff.done.close' }, (actor, row, input) =>
			cases.changes.close(actor, row, input.outcome)
		),
	addNote: (event) =>
		act(event, noteForm, { name: 'addNote', done: 'staff.done.note' }, (actor, row, input) =>
			cases.changes.addNote(actor, row, input.note)
		)
};
