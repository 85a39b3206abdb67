import { error, fail, type RequestEvent } from '@sveltejs/kit';
import type * as v from 'valibot';
import { requireStaff } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import type { Actor, CaseRow } from '$lib/server/cases/access';
import type { Changed } from '$lib/server/cases/changes';
import { checkForm, readForm, type Field, type FormBody, type FormSchema } from '$lib/server/forms';

/** The case a console page shows: guarded, scoped to the caseload, and audited as a view. */
export function viewCase(event: RequestEvent, role: 'caseworker' | 'supervisor' = 'caseworker') {
	const user = requireStaff(event, role);
	const actor: Actor = { userId: user.userId, role: user.role };
	const opened = cases.access.open(actor, event.params.reference ?? '');
	if (!opened.ok) error(opened.reason === 'forbidden' ? 403 : 404, opened.reason);
	return { actor, row: opened.row, details: cases.record.details(opened.row) };
}

/**
 * What was written in these fields of a posted form that cannot be saved: each non-empty text
 * with its field's label (an i18n key), in the order of `fields`.
 */
function written(
	body: FormBody,
	fields: Partial<Record<string, string>>
): { label: string; text: string }[] {
	if (!body.ok) return [];
	return Object.entries(fields).flatMap(([field, label]) => {
		const text = body.form.get(field);
		return label && typeof text === 'string' && text.trim() !== '' ? [{ label, text }] : [];
	});
}

/**
 * One console action: guard, find the case, read the form named `name` with its schema, make
 * the change. Bad input or a refused change is a failure naming the form, with translated keys;
 * a change made says `done` (an i18n key).
 *
 * A case can stop being the caseworker's while they write (a supervisor reassigns it), or be
 * closed: the post is then refused like any other, but what they wrote in the `written` fields
 * (a note, a message; each named with its label's i18n key) comes back to copy, not lost: on the
 * error page, or beside the closed case's refusal.
 */
export async function act<S extends FormSchema, const N extends string>(
	event: RequestEvent,
	schema: S,
	{
		name,
		done,
		written: fields = {}
	}: { name: N; done: string; written?: Partial<Record<Field<S>, string>> },
	change: (actor: Actor, row: CaseRow, input: v.InferOutput<S>) => Changed
) {
	const user = requireStaff(event);
	const actor: Actor = { userId: user.userId, role: user.role };
	// The body first: it can take a while to arrive, and whether this case is still theirs is
	// decided once it has, then the change is made with no wait between (a case reassigned
	// while a slow post was on its way is refused, not changed).
	const body = await readForm(event.request);
	const found = cases.access.find(actor, event.params.reference ?? '');
	if (!found.ok) {
		const unsaved = written(body, fields);
		error(found.reason === 'forbidden' ? 403 : 404, {
			message: found.reason,
			...(unsaved.length > 0 ? { unsaved } : {})
		});
	}
	const sent = checkForm(body, schema, { name });
	if (!sent.ok) return sent.failure;
	const result = change(actor, found.row, sent.output);
	if (!result.ok) {
		const refused = sent.refuse(result.field, result.error);
		// Closed (or anonymised) while they wrote: the page no longer has the form to show it in
		// again, so what they wrote comes back beside the refusal, to copy.
		const ended = ['staff.errors.closed', 'staff.errors.anonymised'].includes(result.error);
		const unsaved = ended ? written(body, fields) : [];
		return unsaved.length > 0 ? fail(400, { ...refused.data, unsaved }) : refused;
	}
	return { form: name, done };
}
