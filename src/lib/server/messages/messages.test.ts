import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { seal } from '$lib/server/crypto';
import { freshDatabase } from '$lib/server/db/testing';
import { users } from '$lib/server/db/schema';
import * as referrals from '$lib/server/referrals';
import { saveSteps, testCipher, validSteps } from '$lib/server/testing/fixtures';
import * as messages from './index';

let db: ReturnType<typeof freshDatabase>['db'];
let path: string;
beforeEach(() => {
	({ db, path } = freshDatabase());
	testCipher();
});

async function newCase() {
	const draftToken = await saveSteps(validSteps());
	const sent = referrals.submit(draftToken);
	if (!sent.ok) throw new Error('incomplete');
	const row = db.$client.prepare('select person_id from cases where id = ?').get(sent.caseId) as {
		person_id: string;
	};
	return { caseId: sent.caseId, personId: row.person_id };
}

const worker = () =>
	db
		.insert(users)
		.values({ role: 'caseworker', email: 'amira@onedoor.test', nameSealed: seal('Amira Khan') })
		.returning()
		.get().id;

const count = (sql: string) => (db.$client.prepare(sql).get() as { n: number }).n;

describe('messages', () => {
	it('are sealed at rest, shown in order, and tell the other side through the outbox', async () => {
		const { caseId, personId } = await newCase();
		const staffId = worker();
		expect(messages.send(caseId, 'person', personId, 'Is anyone there? 9921')).toMatchObject({
			ok: true
		});
		expect(messages.send(caseId, 'staff', staffId, 'Yes, I am here.')).toMatchObject({ ok: true });
		const thread = messages.conversation(caseId);
		expect(thread.map((m) => [m.side, m.text, m.author])).toEqual([
			['person', 'Is anyone there? 9921', ''],
			['staff', 'Yes, I am here.', 'Amira']
		]);
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		expect(readFileSync(path).toString('latin1')).not.toContain('anyone there');
		expect(
			count("select count(*) as n from outbox where kind = 'message' and audience = 'staff'")
		).toBe(1);
		expect(
			count("select count(*) as n from outbox where kind = 'message' and audience = 'person'")
		).toBe(1);
	});

	it('count unread for each side until that side reads them', async () => {
		const { caseId, personId } = await newCase();
		const staffId = worker();
		messages.send(caseId, 'person', personId, 'one');
		messages.send(caseId, 'person', personId, 'two');
		expect(messages.unread(caseId, 'staff')).toBe(2);
		expect(messages.unread(caseId, 'person')).toBe(0);
		db.$client.prepare('update cases set caseworker_id = ?').run(staffId);
		expect(messages.unanswered(staffId)).toMatchObject([{ unread: 2 }]);
		messages.markRead(caseId, 'staff');
		expect(messages.unread(caseId, 'staff')).toBe(0);
		messages.send(caseId, 'staff', staffId, 'reply');
		expect(messages.unanswered(staffId)).toEqual([]);
		expect(messages.unread(caseId, 'person')).toBe(1);
	});

	it('refuses a sixth message in a minute and stores nothing', async () => {
		const { caseId, personId } = await newCase();
		for (let i = 0; i < messages.perMinute; i++) {
			expect(messages.send(caseId, 'person', personId, `m${i}`).ok).toBe(true);
		}
		expect(messages.send(caseId, 'person', personId, 'flood')).toEqual({
			ok: false,
			reason: 'tooFrequent',
			field: 'message',
			error: 'common.messages.errors.tooFrequent'
		});
		expect(count('select count(*) as n from messages')).toBe(messages.perMinute);
		const later = new Date(Date.now() + 61_000);
		expect(messages.send(caseId, 'person', personId, 'later', later).ok).toBe(true);
	});

	it('are read-only on a closed case, on both sides, and store nothing', async () => {
		const { caseId, personId } = await newCase();
		const staffId = worker();
		db.$client.prepare("update cases set status = 'closed' where id = ?").run(caseId);
		expect(messages.readOnly(caseId)).toBe(true);
		expect(messages.send(caseId, 'person', personId, 'Are you there?')).toMatchObject({
			ok: false,
			reason: 'closed',
			error: 'my.messages.closedNotSent'
		});
		expect(messages.send(caseId, 'staff', staffId, 'Checking in')).toMatchObject({
			ok: false,
			reason: 'closed',
			error: 'staff.errors.closed'
		});
		expect(count('select count(*) as n from messages')).toBe(0);
		expect(count("select count(*) as n from outbox where kind = 'message'")).toBe(0);
	});

	it('write a message_sent audit row with the message, or neither', async () => {
		const { caseId } = await newCase();
		const staffId = worker();
		expect(messages.send(caseId, 'staff', staffId, 'Hello').ok).toBe(true);
		const audited = db.$client
			.prepare("select actor_id, actor_role, case_id from audit_log where action = 'message_sent'")
			.all();
		expect(audited).toEqual([{ actor_id: staffId, actor_role: 'caseworker', case_id: caseId }]);
		db.$client.exec(
			"create trigger audit_down before insert on audit_log begin select raise(abort, 'audit down'); end"
		);
		expect(() => messages.send(caseId, 'staff', staffId, 'Unaudited')).toThrow(/audit down/);
		expect(messages.conversation(caseId).map((m) => m.text)).toEqual(['Hello']);
	});
});
