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
	const sent = await referrals.submit(draftToken);
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

describe('a conversation in pages', () => {
	/** Sends `groups` groups of five (three from the person, two from staff), each in one millisecond. */
	async function busyConversation(groups: number) {
		const { caseId, personId } = await newCase();
		const staffId = worker();
		const start = Date.parse('2026-03-02T09:00:00Z');
		for (let g = 0; g < groups; g++) {
			const at = new Date(start + g * 61_000);
			for (let i = 0; i < 5; i++) {
				const side = i < 3 ? 'person' : 'staff';
				const sent = messages.send(
					caseId,
					side,
					side === 'person' ? personId : staffId,
					`${g}/${i}`,
					at
				);
				expect(sent.ok).toBe(true);
			}
		}
		return { caseId, personId, staffId };
	}

	it('shows the latest 50, and earlier pages hold the rest, none twice or missed', async () => {
		const { caseId } = await busyConversation(25);
		const all = messages.conversation(caseId).map((m) => m.id);
		expect(all).toHaveLength(125);
		const latest = messages.page(caseId);
		expect(latest.latest).toBe(true);
		expect(latest.messages.map((m) => m.id)).toEqual(all.slice(-messages.pageSize));
		const seen: string[][] = [latest.messages.map((m) => m.id)];
		let before = latest.earlier;
		while (before) {
			const earlier = messages.page(caseId, before);
			expect(earlier.latest).toBe(false);
			seen.unshift(earlier.messages.map((m) => m.id));
			before = earlier.earlier;
		}
		// 125 in pages of 50, cut inside groups written in the same millisecond.
		expect(seen.map((ids) => ids.length)).toEqual([25, 50, 50]);
		expect(seen.flat()).toEqual(all);
	});

	it('treats a cursor that is not one as the latest page', async () => {
		const { caseId } = await busyConversation(12);
		const latest = messages.conversation(caseId).slice(-messages.pageSize);
		for (const before of ['', 'yesterday', '2026-03-02T09:00:00Z', "1' or 1=1"]) {
			const shown = messages.page(caseId, before);
			expect(shown.latest).toBe(true);
			expect(shown.messages).toEqual(latest);
		}
	});

	it('polls only what is newer than the last message shown, ties included', async () => {
		const { caseId } = await busyConversation(3);
		const thread = messages.conversation(caseId);
		// The third message of the second group: the rest of its millisecond and the third group.
		const after = messages.updates(caseId, thread[7]!.cursor, 'person');
		expect(after.messages.map((m) => m.id)).toEqual(thread.slice(8).map((m) => m.id));
		expect(messages.updates(caseId, thread.at(-1)!.cursor, 'person').messages).toEqual([]);
		expect(messages.updates(caseId, '0', 'staff').messages).toHaveLength(15);
		// A missing or unreadable cursor brings nothing but the unread count.
		expect(messages.updates(caseId, null, 'person')).toEqual({ messages: [], unread: 6 });
		expect(messages.updates(caseId, 'not a cursor', 'person').messages).toEqual([]);
	});

	it('marks read up to the newest shown, leaving a later message unread', async () => {
		const { caseId, staffId } = await busyConversation(2);
		const shown = messages.page(caseId);
		const later = new Date(shown.messages.at(-1)!.at.getTime() + 61_000);
		messages.send(caseId, 'staff', staffId, 'Arrived while the page was read', later);
		messages.markRead(caseId, 'person', shown.messages.at(-1)!.at);
		expect(messages.unread(caseId, 'person')).toBe(1);
	});

	it('a poll reads up to the cursor it was shown, not a message that came after it', async () => {
		const { caseId, staffId } = await busyConversation(2);
		const shown = messages.updates(caseId, '0', 'person').messages;
		const later = new Date(Date.parse(shown.at(-1)!.at) + 61_000);
		messages.send(caseId, 'staff', staffId, 'Arrived between the poll and its POST', later);
		messages.markReadUpTo(caseId, 'person', shown.at(-1)!.cursor);
		expect(messages.unread(caseId, 'person')).toBe(1);
		// A page that sends no cursor reads everything, as before.
		messages.markReadUpTo(caseId, 'person', null);
		expect(messages.unread(caseId, 'person')).toBe(0);
	});
});

describe('whose reading counts', () => {
	it('is the named contact’s, or anyone’s on a case with none; never a colleague glancing', () => {
		expect(messages.readsFor('amira', { caseworkerId: 'amira' })).toBe(true);
		expect(messages.readsFor('jo', { caseworkerId: 'amira' })).toBe(false);
		expect(messages.readsFor('jo', { caseworkerId: null })).toBe(true);
	});
});

describe('messages waiting for a reply', () => {
	it('lists open cases whose latest message is the person’s, oldest wait first', async () => {
		const staffId = worker();
		const answered = await newCase();
		const waitingLong = await newCase();
		const waitingShort = await newCase();
		const closed = await newCase();
		const elsewhere = await newCase();
		const t = (minutes: number) => new Date(Date.parse('2026-03-02T09:00:00Z') + minutes * 60_000);
		messages.send(answered.caseId, 'person', answered.personId, 'Hello', t(0));
		messages.send(answered.caseId, 'staff', staffId, 'Hello back', t(5));
		messages.send(waitingLong.caseId, 'staff', staffId, 'How are you?', t(0));
		messages.send(waitingLong.caseId, 'person', waitingLong.personId, 'Not great', t(10));
		messages.send(waitingLong.caseId, 'person', waitingLong.personId, 'Please call', t(12));
		messages.send(waitingShort.caseId, 'person', waitingShort.personId, 'Hi', t(20));
		messages.send(closed.caseId, 'person', closed.personId, 'Hi', t(1));
		messages.send(elsewhere.caseId, 'person', elsewhere.personId, 'Hi', t(2));
		const mine = [answered, waitingLong, waitingShort, closed].map((c) => c.caseId);
		db.$client
			.prepare(`update cases set caseworker_id = ? where id in (${mine.map(() => '?').join()})`)
			.run(staffId, ...mine);
		db.$client.prepare("update cases set status = 'closed' where id = ?").run(closed.caseId);
		messages.markRead(waitingLong.caseId, 'staff', t(10));
		const reference = (caseId: string) =>
			(
				db.$client.prepare('select reference from cases where id = ?').get(caseId) as {
					reference: string;
				}
			).reference;

		expect(messages.unanswered(staffId)).toEqual([
			{ reference: reference(waitingLong.caseId), since: t(12), unread: 1 },
			{ reference: reference(waitingShort.caseId), since: t(20), unread: 1 }
		]);
		expect(messages.unansweredCount(staffId)).toBe(2);
		// A supervisor sees every caseload, and the unassigned case too.
		expect(messages.unanswered(null).map((row) => row.reference)).toEqual(
			[elsewhere, waitingLong, waitingShort].map((c) => reference(c.caseId))
		);
		expect(messages.unanswered(null, 1).map((row) => row.reference)).toEqual([
			reference(elsewhere.caseId)
		]);
		expect(messages.unansweredCount(null)).toBe(3);
	});

	it('answers in one query with more open cases than SQLite takes variables', async () => {
		const template = await newCase();
		messages.send(template.caseId, 'person', template.personId, 'Hi', new Date(0));
		const many = 40_000;
		const columns = (table: string, replace: Record<string, string>) =>
			(db.$client.pragma(`table_info(${table})`) as { name: string }[]).map(({ name }) => ({
				name,
				value: replace[name] ?? name
			}));
		const caseColumns = columns('cases', {
			id: "'bulk-' || n",
			reference: "'BULK-' || n"
		});
		const messageColumns = columns('messages', {
			id: "'bulk-message-' || n",
			case_id: "'bulk-' || n",
			created_at: 'n + 1000'
		});
		const clone = (table: string, cols: { name: string; value: string }[], id: string) =>
			db.$client
				.prepare(
					`with recursive k(n) as (select 1 union all select n + 1 from k where n < ${many})
					insert into ${table} (${cols.map((c) => c.name).join()})
					select ${cols.map((c) => c.value).join()} from ${table}, k where ${table}.id = ?`
				)
				.run(id);
		clone('cases', caseColumns, template.caseId);
		const templateMessage = messages.conversation(template.caseId)[0]!.id;
		clone('messages', messageColumns, templateMessage);

		const started = performance.now();
		const shown = messages.unanswered(null, 10);
		expect(shown).toHaveLength(10);
		expect(shown[0]!.since).toEqual(new Date(0));
		expect(shown[1]).toMatchObject({ reference: 'BULK-1', since: new Date(1001), unread: 1 });
		expect(messages.unansweredCount(null)).toBe(many + 1);
		expect(performance.now() - started).toBeLessThan(5_000);
	});
});

describe('the conversations waiting for a reply', () => {
	it('are found case by case through the index, never by reading every message kept', async () => {
		const { caseId, personId } = await newCase();
		expect(messages.send(caseId, 'person', personId, 'Hello?').ok).toBe(true);
		const statements: string[] = [];
		const prepare = db.$client.prepare.bind(db.$client);
		db.$client.prepare = ((source: string) => {
			statements.push(source);
			return prepare(source);
		}) as typeof db.$client.prepare;
		try {
			expect(messages.unanswered(null)).toHaveLength(1);
		} finally {
			db.$client.prepare = prepare;
		}
		const asked = statements.find((source) => source.includes('from messages'));
		expect(asked).toBeDefined();
		const plan = (
			db.$client.prepare(`explain query plan ${asked}`).all(50) as {
				detail: string;
			}[]
		).map((row) => row.detail);
		// Each case's latest message by the index; no list of every case that has one.
		expect(plan.join('\n')).not.toMatch(/LIST SUBQUERY|SCAN (messages|[lmu])\b/);
		expect(plan.join('\n')).toMatch(/SEARCH [lm] USING (COVERING )?INDEX messages_case/);
	});
});
