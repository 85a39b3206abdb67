import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '$lib/server/db/testing';
import * as referrals from '$lib/server/referrals';
import { saveSteps, staffMember, testCipher, validSteps } from '$lib/server/testing/fixtures';
import { partnerWorker, sentReferral } from '$lib/server/testing/partners';
import * as conversation from './conversation';
import * as work from './work';
import * as partners from './index';
import { outbox } from '$lib/server/db/schema';

let db: ReturnType<typeof freshDatabase>['db'];
let path: string;
beforeEach(() => {
	({ db, path } = freshDatabase());
	testCipher();
});

async function newCase() {
	const sent = await referrals.submit(await saveSteps(validSteps()));
	if (!sent.ok) throw new Error('incomplete');
	return sent.caseId;
}

const rows = <T>(sql: string, ...params: unknown[]) =>
	db.$client.prepare(sql).all(...params) as T[];

describe('the conversation on a partner referral', () => {
	it('is sealed, read by both sides by first name, and each read is audited', async () => {
		const caseId = await newCase();
		const amira = staffMember('caseworker', 'Amira');
		const sam = await partnerWorker('shelter', 'Sam');
		const id = sentReferral(caseId, 'shelter', 'summary');
		expect(
			conversation.send(
				'staff',
				amira,
				caseId,
				id,
				'Can you call her on Tuesday, after bellflower?'
			)
		).toEqual({
			ok: true
		});
		expect(conversation.send('partner', sam, caseId, id, 'Yes, Tuesday works.')).toEqual({
			ok: true
		});
		const partnerSide = conversation.forPartner(sam, id)!;
		expect(partnerSide.messages.map((m) => [m.side, m.author, m.text])).toEqual([
			['staff', 'Amira', 'Can you call her on Tuesday, after bellflower?'],
			['partner', 'Sam', 'Yes, Tuesday works.']
		]);
		// Each side's reading marks what the other wrote as read: Sam sees Amira has read his.
		expect(conversation.forStaff(amira, caseId, id)!.messages).toHaveLength(2);
		expect(conversation.forPartner(sam, id)!.messages.map((m) => m.read)).toEqual([true, true]);
		expect(
			rows<{ actor_role: string }>(
				"select actor_role from audit_log where action = 'partner_messages_read' and case_id = ? order by id",
				caseId
			).map((r) => r.actor_role)
		).toEqual(['partner', 'caseworker', 'partner']);
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		expect(readFileSync(path).toString('latin1')).not.toContain('bellflower');
	});

	it('tells the other side there is something new, and nothing of what', async () => {
		const caseId = await newCase();
		const amira = staffMember('caseworker', 'Amira');
		const sam = await partnerWorker('shelter', 'Sam');
		db.$client
			.prepare(
				"update partner_agencies set inbox_email = 'referrals@shelter.test' where id = 'shelter'"
			)
			.run();
		const id = sentReferral(caseId, 'shelter', 'summary');
		conversation.send('partner', sam, caseId, id, 'Secret detail 4417');
		conversation.send('staff', amira, caseId, id, 'Other secret 5528');
		const notices = rows<{ kind: string; audience: string; payload_sealed: string | null }>(
			"select kind, audience, payload_sealed from outbox where kind = 'partner_message'"
		);
		// The named contact is told as staff notices are; the agency by a fixed email to its inbox.
		expect(notices.filter((n) => !n.payload_sealed).map((n) => n.audience)).toEqual(['staff']);
		// Both are for workers, never the person (whose notices a case's changes gather).
		expect(notices.filter((n) => n.payload_sealed).map((n) => n.audience)).toEqual(['staff']);
		// The agency's notice is fixed when queued (to its inbox); nothing of the message is in it.
		const { open } = await import('$lib/server/crypto');
		const toAgency = JSON.parse(open(notices.find((n) => n.payload_sealed)!.payload_sealed)!);
		expect(toAgency).toMatchObject({ channel: 'email', to: 'referrals@shelter.test' });
		expect(`${toAgency.subject} ${toAgency.text}`).not.toMatch(/secret|5528|4417|Shelter/i);
	});

	it('takes no message from our staff to an agency an admin has switched off', async () => {
		const caseId = await newCase();
		const amira = staffMember('caseworker', 'Amira');
		const admin = staffMember('admin', 'Ade');
		db.$client
			.prepare(
				"update partner_agencies set inbox_email = 'referrals@shelter.test' where id = 'shelter'"
			)
			.run();
		const id = sentReferral(caseId, 'shelter', 'summary');
		expect(partners.setActive(admin, 'shelter', false)).toEqual({ ok: true });
		expect(conversation.send('staff', amira, caseId, id, 'Are you there?')).toEqual({
			ok: false,
			field: 'message',
			error: 'staff.partnerArea.errors.agencyOff'
		});
		const kept = () => ({
			messages: rows('select id from partner_messages where partner_referral_id = ?', id).length,
			notices: rows("select id from outbox where kind = 'partner_message'").length
		});
		expect(kept()).toEqual({ messages: 0, notices: 0 });
		expect(partners.setActive(admin, 'shelter', true)).toEqual({ ok: true });
		expect(conversation.send('staff', amira, caseId, id, 'Are you there?')).toEqual({ ok: true });
		expect(kept()).toEqual({ messages: 1, notices: 1 });
	});

	it('is nothing to another agency, and read-only once the referral is closed', async () => {
		const caseId = await newCase();
		const amira = staffMember('caseworker', 'Amira');
		const sam = await partnerWorker('shelter', 'Sam');
		const kit = await partnerWorker('galop', 'Kit');
		const id = sentReferral(caseId, 'shelter', 'summary');
		conversation.send('staff', amira, caseId, id, 'hello');
		expect(conversation.forPartner(kit, id)).toBeNull();
		work.accept(sam, id, 'Sam');
		work.close(sam, id, 'supported', '');
		expect(conversation.send('partner', sam, caseId, id, 'one more')).toEqual({
			ok: false,
			field: 'message',
			error: 'staff.partnerArea.errors.conversationClosed'
		});
		expect(conversation.send('staff', amira, caseId, id, 'one more')).toMatchObject({ ok: false });
		expect(rows('select id from partner_messages where partner_referral_id = ?', id)).toHaveLength(
			1
		);
	});

	it('shows the latest 50, with a link to the ones before', async () => {
		const caseId = await newCase();
		const amira = staffMember('caseworker', 'Amira');
		const id = sentReferral(caseId, 'shelter', 'summary');
		const start = Date.UTC(2026, 10, 1, 9);
		for (let i = 1; i <= 52; i++) {
			// Past the five-a-minute limit: each a minute apart.
			conversation.send('staff', amira, caseId, id, `Message ${i}`, new Date(start + i * 61_000));
		}
		const latest = conversation.forStaff(amira, caseId, id)!;
		expect(latest.messages).toHaveLength(50);
		expect(latest.messages[0]!.text).toBe('Message 3');
		const earlier = conversation.forStaff(amira, caseId, id, latest.earlier)!;
		expect(earlier.messages.map((m) => m.text)).toEqual(['Message 1', 'Message 2']);
		expect(earlier.earlier).toBeNull();
	});
});

describe('erasing a case', () => {
	it('deletes its partner conversations and what the agency was told', async () => {
		const caseId = await newCase();
		const amira = staffMember('caseworker', 'Amira');
		const sam = await partnerWorker('shelter', 'Sam');
		const id = sentReferral(caseId, 'shelter', 'summary 3301');
		work.accept(sam, id, 'Sam');
		conversation.send('staff', amira, caseId, id, 'hello 3302');
		const { erase } = await import('$lib/server/cases/lifecycle');
		const supervisor = staffMember('supervisor', 'Jo');
		expect(erase(supervisor, { id: caseId }, 'Asked to be forgotten', 'other')).toEqual({
			ok: true
		});
		expect(rows('select id from partner_messages where partner_referral_id = ?', id)).toEqual([]);
		expect(
			rows(
				'select summary_sealed, partner_worker_sealed, decline_reason_sealed from partner_referrals where id = ?',
				id
			)
		).toEqual([{ summary_sealed: null, partner_worker_sealed: null, decline_reason_sealed: null }]);
		// What is left is the agency and how it ended, which the agency may still list.
		expect(work.openReferral(sam, id)).toMatchObject({ ok: true, referral: { summary: '' } });
	});

	it('tells each agency the details were sent to that they were erased, and no other', async () => {
		// UK GDPR Article 19: every recipient of the data is told of its erasure.
		db.$client.exec(
			"update partner_agencies set inbox_email = id || '@agency.example' where id in ('shelter', 'galop')"
		);
		const caseId = await newCase();
		sentReferral(caseId, 'shelter', 'summary: hawthorn');
		const supervisor = staffMember('supervisor', 'Jo');
		const proposedOnly = partners.propose(supervisor, { id: caseId }, 'galop', {
			reason: 'r',
			summary: 'never sent 3402'
		});
		expect(proposedOnly).toEqual({ ok: true });
		const { erase } = await import('$lib/server/cases/lifecycle');
		expect(erase(supervisor, { id: caseId }, 'Asked to be forgotten', 'other')).toEqual({
			ok: true
		});
		const notices = db
			.select()
			.from(outbox)
			.all()
			.filter((row) => row.kind.startsWith('agency_'));
		expect(notices.map((n) => [n.kind, n.payload?.to])).toEqual([
			['agency_erased', 'shelter@agency.example']
		]);
		expect(notices[0]!.payload?.text).toContain('asked us to erase them');
		expect(notices[0]!.payload?.text).not.toContain('hawthorn');
	});
});
