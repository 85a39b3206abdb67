import * as cases from '$lib/server/cases';
import { database } from '$lib/server/db';
import { oversees } from '$lib/server/cases/access';
import { manualStatuses } from '$lib/server/cases/changes';
import {
	assignForm,
	closeForm,
	firstContactForm,
	noteForm,
	reopenForm,
	statusForm
} from '$lib/server/cases/schemas';
import { act, viewCase } from './case';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { actor, details } = viewCase(event);
	return {
		details,
		// What closing would leave stranded, said beside the close form.
		openWork: details.closed ? null : cases.changes.openWork(database(), details.id),
		oversees: oversees(actor),
		timeline: cases.record.timeline(details.id),
		caseworkers: oversees(actor) ? cases.record.namedContactChoices() : [],
		statuses: [...manualStatuses],
		outcomes: [...cases.outcomes]
	};
};

// Each form's action name, and what the page says once its change is made.
const assign = { name: 'assign', done: 'staff.done.assign' } as const;
const markContacted = { name: 'markContacted', done: 'staff.done.contacted' } as const;
const changeStatus = { name: 'changeStatus', done: 'staff.done.status' } as const;
const close = { name: 'close', done: 'staff.done.close' } as const;
const reopen = { name: 'reopen', done: 'staff.done.reopen' } as const;
const addNote = {
	name: 'addNote',
	done: 'staff.done.note',
	written: { note: 'staff.case.noteLabel' }
} as const;

export const actions: Actions = {
	assign: (event) =>
		act(event, assignForm, assign, (actor, row, input) =>
			cases.changes.assign(actor, row, input.caseworker)
		),
	markContacted: (event) =>
		act(event, firstContactForm, markContacted, (actor, row, input) =>
			cases.changes.recordFirstContact(actor, row, input.channel)
		),
	changeStatus: (event) =>
		act(event, statusForm, changeStatus, (actor, row, input) =>
			cases.changes.setStatus(actor, row, input.status)
		),
	close: (event) =>
		act(event, closeForm, close, (actor, row, input) =>
			cases.changes.close(actor, row, input.outcome, input.anyway === 'yes')
		),
	reopen: (event) =>
		act(event, reopenForm, reopen, (actor, row, input) =>
			cases.changes.reopen(actor, row, input.reopenReason)
		),
	addNote: (event) =>
		act(event, noteForm, addNote, (actor, row, input) =>
			cases.changes.addNote(actor, row, input.note)
		)
};
