import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { parseReference } from '$lib/referral/reference';
import * as audit from '$lib/server/audit';
import { people, requireStaff } from '$lib/server/auth';
import { readForm } from '$lib/server/forms';
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
	audit.record('case_viewed', { id: user.userId, role: user.role }, { caseId: found.caseId });
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

/** The person a posted form names, or why the form could not be read. */
async function target(event: RequestEvent) {
	const body = await readForm(event.request);
	if (!body.ok) {
		requireStaff(event);
		return { unreadable: body } as const;
	}
	return personFor(event, String(body.form.get('reference') ?? ''));
}

export const actions: Actions = {
	unlock: async (event) => {
		const targeted = await target(event);
		if ('unreadable' in targeted) {
			const { status, error } = targeted.unreadable;
			return fail(status, { done: null, errors: { form: error } });
		}
		const { user, found } = targeted;
		if (!found) return fail(400, { done: null });
		people.unlock(user, found.personId, found.caseId);
		return { done: 'unlocked' };
	},
	issueResetCode: async (event) => {
		const targeted = await target(event);
		if ('unreadable' in targeted) {
			const { status, error } = targeted.unreadable;
			return fail(status, { done: null, errors: { form: error } });
		}
		const { user, found } = targeted;
		if (!found) return fail(400, { done: null });
		return { done: 'code', code: await people.issueResetCode(user, found.personId, found.caseId) };
	}
};
