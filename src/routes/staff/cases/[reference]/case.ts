import { error, fail, type RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { requireStaff } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import type { Actor, CaseRow } from '$lib/server/cases/access';
import type { Changed } from '$lib/server/cases/changes';
import { parseForm, readForm } from '$lib/server/forms';

/** The case a console page shows: guarded, scoped to the caseload, and audited as a view. */
export function viewCase(event: RequestEvent, role: 'caseworker' | 'supervisor' = 'caseworker') {
	const user = requireStaff(event, role);
	const actor: Actor = { userId: user.userId, role: user.role };
	const opened = cases.access.open(actor, event.params.reference ?? '');
	if (!opened.ok) error(opened.reason === 'forbidden' ? 403 : 404, opened.reason);
	return { actor, row: opened.row, details: cases.record.details(opened.row) };
}

/**
 * One console action: guard, find the case, parse the form with its schema, make the change.
 * Bad input or a refused change comes back as a 400 naming the form, with translated keys.
 */
export async function act<T extends v.GenericSchema>(
	event: RequestEvent,
	formName: string,
	schema: T,
	fields: readonly string[],
	change: (actor: Actor, row: CaseRow, input: v.InferOutput<T>) => Changed,
	lists: readonly string[] = []
) {
	const user = requireStaff(event);
	const actor: Actor = { userId: user.userId, role: user.role };
	const found = cases.access.find(actor, event.params.reference ?? '');
	if (!found.ok) error(found.reason === 'forbidden' ? 403 : 404, found.reason);
	const parsed = parseForm(await readForm(event.request), schema, fields, lists);
	if (!parsed.ok) {
		return fail(parsed.status, { form: formName, errors: parsed.errors, values: parsed.values });
	}
	const result = change(actor, found.row, parsed.output);
	if (!result.ok) {
		return fail(400, {
			form: formName,
			errors: { [result.field]: result.error },
			values: parsed.values
		});
	}
	return { form: formName, done: `staff.done.${formName}` };
}
