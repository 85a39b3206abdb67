import { error, type RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { parseReference } from '$lib/referral/reference';
import * as cases from '$lib/server/cases';
import { people, requireStaff } from '$lib/server/auth';
import { readValid } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

/**
 * The person behind a reference, if this staff member may act for them: their named contact, or
 * a supervisor or admin. Every look is audited.
 */
function personFor(event: RequestEvent, typed: string | null) {
	const user = requireStaff(event);
	const reference = typed ? parseReference(typed) : undefined;
	if (!reference) return { user, found: null };
	const found = people.byReference(reference);
	if (!found) return { user, found: null };
	if (user.role === 'caseworker' && found.caseworkerId !== user.userId) error(403, 'forbidden');
	cases.access.recordView({ userId: user.userId, role: user.role }, found.caseId);
	return { user, found };
}

export const load: PageServerLoad = (event) => {
	const typed = event.url.searchParams.get('reference');
	const { found } = personFor(event, typed);
	return {
		reference: typed ?? '',
		searched: typed !== null,
		found: found && { reference: found.reference, locked: Boolean(found.lockedAt) }
	};
};

// The buttons post the reference they act on; one longer than any reference is not one.
const personForm = v.object({
	reference: v.pipe(v.string('staff.people.notFound'), v.maxLength(40, 'staff.people.notFound'))
});

/** Reads the posted reference (as `name`'s form) and finds the person it names, if allowed. */
async function target<const N extends string>(event: RequestEvent, name: N) {
	requireStaff(event);
	const sent = await readValid(event.request, personForm, { name });
	if (!sent.ok) return sent;
	return { ...sent, ...personFor(event, sent.output.reference) };
}

export const actions: Actions = {
	unlock: async (event) => {
		const targeted = await target(event, 'unlock');
		if (!targeted.ok) return targeted.failure;
		const { user, found } = targeted;
		if (!found) return targeted.refuse('form', 'staff.people.notFound');
		people.unlock(user, found.personId, found.caseId);
		return { done: 'unlocked' as const };
	},
	issueResetCode: async (event) => {
		const targeted = await target(event, 'issueResetCode');
		if (!targeted.ok) return targeted.failure;
		const { user, found } = targeted;
		if (!found) return targeted.refuse('form', 'staff.people.notFound');
		return {
			done: 'code' as const,
			code: await people.issueResetCode(user, found.personId, found.caseId)
		};
	}
};
