import type { RequestEvent } from '@sveltejs/kit';
import { beforeEach, describe, expect, it } from 'vitest';
import * as cases from '$lib/server/cases';
import { freshDatabase } from '$lib/server/db/testing';
import * as referrals from '$lib/server/referrals';
import { saveSteps, testCipher, validSteps } from '$lib/server/testing/fixtures';
import { requireOwnCase, requireOwnCaseToChange } from './portal';

let db: ReturnType<typeof freshDatabase>['db'];
beforeEach(() => {
	({ db } = freshDatabase());
	testCipher();
});

/** One request's event as the portal's loads and actions see it: the same `locals` throughout. */
async function signedInRequest() {
	const sent = await referrals.submit(await saveSteps(validSteps()));
	if (!sent.ok) throw new Error('incomplete');
	const { person_id: personId } = db.$client
		.prepare('select person_id from cases where id = ?')
		.get(sent.caseId) as { person_id: string };
	const locals = {
		lang: 'en',
		user: { userId: personId, role: 'person', expiresAt: Date.now() + 60_000 }
	};
	return { event: { locals } as unknown as RequestEvent, personId };
}

describe('the person’s own case in a portal request', () => {
	it('is read once however many loads ask for it', async () => {
		const { event, personId } = await signedInRequest();
		const layout = requireOwnCase(event);
		const page = requireOwnCase(event);
		expect(page.row).toBe(layout.row);
		expect(page.row.personId).toBe(personId);
	});

	it('is read again after an action changed it, so the page shows the change', async () => {
		const { event } = await signedInRequest();
		const before = requireOwnCase(event).row.language;
		const after = before === 'ar' ? 'en' : 'ar';
		// An action reads the case for itself and changes it; the loads that follow see the change.
		const { row } = requireOwnCaseToChange(event);
		cases.person.updatePreferences(row, 'language', {
			language: after,
			interpreter: 'no',
			accessNeeds: ''
		});
		expect(requireOwnCase(event).row.language).toBe(after);
	});

	it('is never another person’s', async () => {
		const first = await signedInRequest();
		const second = await signedInRequest();
		expect(requireOwnCase(second.event).row.id).not.toBe(requireOwnCase(first.event).row.id);
		expect(requireOwnCase(second.event).row.personId).toBe(second.personId);
	});
});
