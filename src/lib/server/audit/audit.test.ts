import { beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '$lib/server/db/testing';
import { desc, eq } from 'drizzle-orm';
import { auditLog, cases, users } from '$lib/server/db/schema';
import * as referrals from '$lib/server/referrals';
import { saveSteps, testCipher, validSteps } from '$lib/server/testing/fixtures';
import * as audit from './index';

let db: ReturnType<typeof freshDatabase>['db'];
beforeEach(() => {
	({ db } = freshDatabase());
	testCipher();
});

async function referral() {
	const sent = await referrals.submit(await saveSteps(validSteps()));
	if (!sent.ok) throw new Error('referral incomplete');
	return sent;
}

function caseworker() {
	const row = db
		.insert(users)
		.values({ role: 'caseworker', email: 'amira@onedoor.test' })
		.returning()
		.get();
	return { id: row.id, role: row.role };
}

/**
 * Half past the hour before this file loaded: rows are placed whole hours before it, so a row's
 * hour (how visits are grouped) never depends on when in the hour the test happens to run.
 */
const halfPast = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 1_800_000;

/** Writes an audit row at a given time, as a visit hours ago would have. */
function at(hoursAgo: number, ...args: Parameters<typeof audit.record>) {
	audit.record(...args);
	const last = db
		.select({ id: auditLog.id })
		.from(auditLog)
		.orderBy(desc(auditLog.id))
		.limit(1)
		.get()!;
	db.$client
		.prepare('update audit_log set at = ? where id = ?')
		.run(halfPast - hoursAgo * 3_600_000, last.id);
}

describe("who has seen a person's record", () => {
	it('tells the person each sitting by role and kind, newest first, and nothing of other cases', async () => {
		const mine = await referral();
		const other = await referral();
		const worker = caseworker();
		const { personId } = db.select().from(cases).where(eq(cases.id, mine.caseId)).get()!;
		const person = { id: personId, role: 'person' };
		// Three page views in one sitting, a change later that day, and a view the next day.
		at(30, 'case_viewed', worker, { caseId: mine.caseId });
		at(30, 'case_viewed', worker, { caseId: mine.caseId });
		at(30, 'case_viewed', worker, { caseId: mine.caseId });
		at(20, 'note_added', worker, { caseId: mine.caseId });
		at(2, 'case_viewed', worker, { caseId: mine.caseId });
		// Not a visit by staff to this record: the person's own actions, sign-ins, other cases.
		at(1, 'message_sent', person, { caseId: mine.caseId });
		at(1, 'sign_in', worker);
		at(1, 'case_viewed', worker, { caseId: other.caseId });

		expect(audit.visits(mine.caseId).map(({ who, kind }) => `${who} ${kind}`)).toEqual([
			'caseworker viewed',
			'caseworker changed',
			'caseworker viewed'
		]);
	});
});
