import * as v from 'valibot';
import { partnerOutcomes, reasonMaxLength, workerMaxLength } from './work';

// One schema per form of the partner area; errors are i18n keys keyed by field.
const e = (key: string) => `staff.partnerArea.errors.${key}`;

const worker = v.pipe(
	v.string(e('worker')),
	v.trim(),
	v.nonEmpty(e('worker')),
	v.maxLength(workerMaxLength, e('worker'))
);

export const acceptForm = v.object({ worker });
export const renameForm = v.object({ worker });
export const declineForm = v.object({
	reason: v.pipe(
		v.string(e('reason')),
		v.trim(),
		v.nonEmpty(e('reason')),
		v.maxLength(reasonMaxLength, e('reason'))
	)
});
export const closeForm = v.object({
	outcome: v.picklist(partnerOutcomes, e('outcome')),
	note: v.pipe(v.string(e('note')), v.trim(), v.maxLength(reasonMaxLength, e('note')))
});

/** Adding a worker: the same checks as adding a staff member; always the role 'partner'. */
export const addWorkerForm = v.object({
	email: v.pipe(v.string(e('email')), v.trim(), v.maxLength(254, e('email')), v.email(e('email'))),
	name: v.pipe(v.string(e('name')), v.trim(), v.nonEmpty(e('name')), v.maxLength(100, e('name'))),
	password: v.pipe(
		v.string(e('password')),
		v.minLength(12, e('password')),
		v.maxLength(256, e('password'))
	),
	// A checkbox: sent as "yes" when ticked, absent (read as '') when not.
	partnerAdmin: v.picklist(['yes', ''], e('notChanged'))
});

/** A row's "deactivate" button: a stale or edited row is "not changed". */
export const workerRowForm = v.object({
	id: v.pipe(v.string(e('notChanged')), v.maxLength(64, e('notChanged')))
});
