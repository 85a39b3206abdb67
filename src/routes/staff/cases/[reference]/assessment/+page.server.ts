import { needChoices } from '$lib/referral/steps';
import * as cases from '$lib/server/cases';
import { oversees } from '$lib/server/cases/access';
import { dashForm, needsForm } from '$lib/server/cases/schemas';
import { riskLevels } from '$lib/server/db/schema';
import { act, viewCase } from '../case';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { actor, row, details } = viewCase(event);
	return {
		details,
		oversees: oversees(actor),
		needChoices: [...needChoices],
		riskLevels: [...riskLevels],
		dashQuestions: cases.dashQuestions,
		maracThreshold: cases.maracThreshold,
		dashYes: cases.record.dashAnswers(row)
	};
};

export const actions: Actions = {
	needs: (event) =>
		act(
			event,
			'needs',
			needsForm,
			['needs', 'riskLevel'],
			(actor, row, input) => cases.changes.updateNeeds(actor, row, input.needs, input.riskLevel),
			['needs']
		),
	dash: (event) =>
		act(
			event,
			'dash',
			dashForm,
			['yes'],
			(actor, row, input) => cases.changes.recordDash(actor, row, input.yes),
			['yes']
		)
};
