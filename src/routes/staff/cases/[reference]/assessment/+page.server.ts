import { needChoices } from '$lib/referral/steps';
import * as cases from '$lib/server/cases';
import { oversees } from '$lib/server/cases/access';
import { dashForm, needsForm } from '$lib/server/cases/schemas';
import { act, viewCase } from '../case';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { actor, row, details } = viewCase(event);
	return {
		details,
		oversees: oversees(actor),
		needChoices: [...needChoices],
		riskLevels: [...cases.riskLevels],
		dashQuestions: cases.dashQuestions,
		maracThreshold: cases.maracThreshold,
		dashYes: cases.record.dashAnswers(row),
		// What each form shows now; sent back, a save over a colleague's since is refused.
		shown: { needs: cases.changes.needsShown(row), dash: cases.changes.dashShown(row) }
	};
};

export const actions: Actions = {
	saveNeeds: (event) =>
		act(event, needsForm, { name: 'saveNeeds', done: 'staff.done.needs' }, (actor, row, input) =>
			cases.changes.updateNeeds(actor, row, input.needs, input.riskLevel, input.shown)
		),
	recordDash: (event) =>
		act(event, dashForm, { name: 'recordDash', done: 'staff.done.dash' }, (actor, row, input) =>
			cases.changes.recordDash(actor, row, input.yes, input.shown)
		)
};
