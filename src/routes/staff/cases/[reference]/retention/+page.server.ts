import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import { eraseForm, liftHoldForm, reviewErasureForm, setHoldForm } from '$lib/server/cases/schemas';
import { config } from '$lib/server/config';
import { readValid } from '$lib/server/forms';
import { closedBefore } from '$lib/server/lifecycle/retention';
import { act, viewCase } from '../case';
import type { Actions, PageServerLoad } from './$types';

const day = 86_400_000;

// Supervisors and admins: when the case will be anonymised, its legal hold, and erasure.
export const load: PageServerLoad = (event) => {
	const { details } = viewCase(event, 'supervisor');
	const days = config().retention.closedCaseDays;
	const dueAt = details.closedAt ? new Date(details.closedAt.getTime() + days * day) : null;
	return {
		details,
		oversees: true,
		retention: {
			days,
			dueAt,
			overdue: details.closedAt !== null && details.closedAt < closedBefore(new Date(), days),
			heldBy: details.legalHold?.by
				? (cases.record.staffMember(details.legalHold.by)?.email ?? '')
				: ''
		},
		outcomes: [...cases.outcomes]
	};
};

const setHold = {
	name: 'setHold',
	done: 'staff.done.holdSet',
	written: { holdReason: 'staff.retention.holdReason' }
} as const;
const liftHold = {
	name: 'liftHold',
	done: 'staff.done.holdLifted',
	written: { holdReason: 'staff.retention.liftReason' }
} as const;
const erase = {
	name: 'erase',
	done: 'staff.done.erased',
	written: { reason: 'staff.retention.eraseReason' }
} as const;

// Every action is a supervisor's, like the page (the domain refuses anyone else too): a
// caseworker is refused before their form is read.
export const actions: Actions = {
	setHold: (event) => {
		requireStaff(event, 'supervisor');
		return act(event, setHoldForm, setHold, (actor, row, input) =>
			cases.lifecycle.setLegalHold(actor, row, input.holdReason)
		);
	},
	liftHold: (event) => {
		requireStaff(event, 'supervisor');
		return act(event, liftHoldForm, liftHold, (actor, row, input) =>
			cases.lifecycle.liftLegalHold(actor, row, input.holdReason)
		);
	},
	/**
	 * Erasure's first step changes nothing: it checks the answers and what would refuse them now
	 * (a hold, a missing outcome), then the page asks for confirmation with them.
	 */
	reviewErasure: async (event) => {
		const user = requireStaff(event, 'supervisor');
		const found = cases.access.find(
			{ userId: user.userId, role: user.role },
			event.params.reference
		);
		if (!found.ok) error(found.reason === 'forbidden' ? 403 : 404, found.reason);
		const sent = await readValid(event.request, reviewErasureForm, { name: 'reviewErasure' });
		if (!sent.ok) return sent.failure;
		const { row } = found;
		if (row.anonymisedAt) return sent.refuse('reason', 'staff.errors.anonymised');
		if (row.legalHoldAt) return sent.refuse('reason', 'staff.errors.onLegalHold');
		if (row.status !== 'closed' && !sent.output.outcome) {
			return sent.refuse('outcome', 'staff.errors.outcome');
		}
		return { form: 'reviewErasure' as const, review: sent.output };
	},
	erase: (event) => {
		requireStaff(event, 'supervisor');
		return act(event, eraseForm, erase, (actor, row, input) =>
			cases.lifecycle.erase(actor, row, input.reason, input.outcome || null)
		);
	}
};
