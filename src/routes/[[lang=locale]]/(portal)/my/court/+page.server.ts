import { fail } from '@sveltejs/kit';
import * as court from '$lib/server/court';
import { checklistForm, measuresForm, visitForm } from '$lib/server/court/schemas';
import { parseForm, readForm } from '$lib/server/forms';
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
	checklist: async (event) => {
		const { row } = requireOwnCaseToChange(event);
		const parsed = parseForm(await readForm(event.request), checklistForm, ['ticked'], ['ticked']);
		if (!parsed.ok)
			return fail(parsed.status, {
				form: 'checklist',
				errors: parsed.errors,
				values: parsed.values
			});
		court.saveChecklist(row, parsed.output.ticked);
		return { form: 'checklist', done: 'my.court.checklistSaved' };
	},
	requestVisit: async (event) => {
		const { row } = requireOwnCaseToChange(event);
		const parsed = parseForm(await readForm(event.request), visitForm, ['dates', 'access', 'who']);
		if (!parsed.ok)
			return fail(parsed.status, { form: 'visit', errors: parsed.errors, values: parsed.values });
		if (!court.request(row, 'visit', parsed.output)) {
			return fail(400, {
				form: 'visit',
				errors: { dates: 'my.court.errors.closed' },
				values: parsed.values
			});
		}
		return { form: 'visit', done: 'my.court.visitSent' };
	},
	askMeasures: async (event) => {
		const { row } = requireOwnCaseToChange(event);
		const parsed = parseForm(
			await readForm(event.request),
			measuresForm,
			['measures', 'notes'],
			['measures']
		);
		if (!parsed.ok)
			return fail(parsed.status, {
				form: 'measures',
				errors: parsed.errors,
				values: parsed.values
			});
		if (!court.request(row, 'special_measures', parsed.output)) {
			return fail(400, {
				form: 'measures',
				errors: { measures: 'my.court.errors.closed' },
				values: parsed.values
			});
		}
		return { form: 'measures', done: 'my.court.measuresSent' };
	}
};
