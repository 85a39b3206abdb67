import * as court from '$lib/server/court';
import { checklistForm, measuresForm, visitForm } from '$lib/server/court/schemas';
import { readValid } from '$lib/server/forms';
import { requireOwnCase, requireOwnCaseToChange } from '$lib/server/portal';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { row } = requireOwnCase(event);
	const mine = court.forPerson(row);
	return {
		mine,
		now: Date.now(),
		checklistItems: [...court.checklistItems],
		specialMeasures: [...court.specialMeasures]
	};
};

export const actions: Actions = {
	saveChecklist: async (event) => {
		const { row } = requireOwnCaseToChange(event);
		const sent = await readValid(event.request, checklistForm, { name: 'checklist' });
		if (!sent.ok) return sent.failure;
		if (!court.saveChecklist(row, sent.output.ticked)) {
			return sent.refuse('ticked', 'my.court.errors.closed');
		}
		return { form: 'checklist' as const, done: 'my.court.checklistSaved' };
	},
	requestVisit: async (event) => {
		const { row } = requireOwnCaseToChange(event);
		const sent = await readValid(event.request, visitForm, { name: 'visit' });
		if (!sent.ok) return sent.failure;
		if (!court.request(row, 'visit', sent.output))
			return sent.refuse('dates', 'my.court.errors.closed');
		return { form: 'visit' as const, done: 'my.court.visitSent' };
	},
	askForMeasures: async (event) => {
		const { row } = requireOwnCaseToChange(event);
		const sent = await readValid(event.request, measuresForm, { name: 'measures' });
		if (!sent.ok) return sent.failure;
		if (!court.request(row, 'special_measures', sent.output)) {
			return sent.refuse('measures', 'my.court.errors.closed');
		}
		return { form: 'measures' as const, done: 'my.court.measuresSent' };
	}
};
