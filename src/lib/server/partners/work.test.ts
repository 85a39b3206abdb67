import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { timelineText } from '$lib/timeline';
import { freshDatabase } from '$lib/server/db/testing';
import { fixedT } from '$lib/server/i18n';
import * as referrals from '$lib/server/referrals';
import { saveSteps, testCipher, validSteps } from '$lib/server/testing/fixtures';
import { partnerWorker, sentReferral } from '$lib/server/testing/partners';
import * as work from './work';

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
const statusOf = (id: string) =>
	(
		db.$client.prepare('select status from partner_referrals where id = ?').get(id) as {
			status: string;
		}
	).status;
/** What the person reads on their timeline for the case's visible partner events, oldest first. */
const personReads = (caseId: string) =>
	rows<{ kind: string; params: string }>(
		"select kind, params from case_events where case_id = ? and visible_to_person = 1 and kind like 'partner_%' order by created_at, rowid",
		caseId
	).map((e) => timelineText(fixedT('en'), 'en', { kind: e.kind, params: JSON.parse(e.params) }));

describe('a referral’s handle', () => {
	it('comes from a random id, which tells the agency nothing of when the referral was proposed', async () => {
		const caseId = await newCase();
		const ids = ['one', 'two', 'three'].map((summary) => sentReferral(caseId, 'shelter', summary));
		// Random (version 4), not time-ordered (version 7): no time to read in the address.
		for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
		expect(new Set(ids.map((id) => work.handleOf(id))).size).toBe(ids.length);
	});
});

describe('an agency’s list of referrals', () => {
	it('holds only its own, shared ones, most recently changed first, a page at a time', async () => {
		const caseId = await newCase();
		const shelter = await partnerWorker('shelter', 'Sam');
		const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1, 9, minutes));
		const older = sentReferral(caseId, 'shelter', 'older', { sentAt: at(1) });
		const newer = sentReferral(caseId, 'shelter', 'newer', { sentAt: at(2) });
		sentReferral(caseId, 'galop', 'another agency', { sentAt: at(3) });
		const hidden = ['proposed', 'refused', 'withdrawn'] as const;
		for (const status of hidden) {
			const id = sentReferral(caseId, 'shelter', status, { sentAt: at(4) });
			db.$client.prepare('update partner_referrals set status = ? where id = ?').run(status, id);
		}
		const listed = work.referralsFor(shelter);
		expect(listed.referrals.map((r) => r.id)).toEqual([newer, older]);
		expect(listed.referrals[0]).toMatchObject({ status: 'sent', handle: work.handleOf(newer) });
		// Nothing of the case: no reference, no summary, no name.
		expect(Object.keys(listed.referrals[0]!).sort()).toEqual(
			['handle', 'id', 'sentAt', 'status', 'updatedAt', 'worker'].sort()
		);
		expect(listed.next).toBeNull();

		for (let i = 0; i < work.pageSize; i++)
			sentReferral(caseId, 'shelter', `n${i}`, { sentAt: at(10 + i) });
		const first = work.referralsFor(shelter);
		expect(first.referrals).toHaveLength(work.pageSize);
		const second = work.referralsFor(shelter, { after: first.next });
		expect(second.referrals.map((r) => r.id)).toEqual([newer, older]);
	});
});

describe('opening a referral', () => {
	it('shows the agency only the summary, and audits every open on the case', async () => {
		const caseId = await newCase();
		const shelter = await partnerWorker('shelter', 'Sam');
		const id = sentReferral(caseId, 'shelter', 'Needs a safe place to live; call after 6pm.');
		const opened = work.openReferral(shelter, id);
		expect(opened).toMatchObject({
			ok: true,
			referral: { agency: 'Shelter', summary: 'Needs a safe place to live; call after 6pm.' }
		});
		// What the person told us in the referral is nowhere in what the agency gets.
		expect(JSON.stringify(opened)).not.toContain('back door');
		expect(JSON.stringify(opened)).not.toContain('Agnieszka');
		expect(
			rows(
				'select actor_id, actor_role from audit_log where action = ? and case_id = ?',
				'partner_referral_viewed',
				caseId
			)
		).toEqual([{ actor_id: shelter.userId, actor_role: 'partner' }]);
	});

	it('finds nothing of another agency’s referral, one never sent, or a made-up id', async () => {
		const caseId = await newCase();
		const galop = await partnerWorker('galop', 'Kit');
		const shelters = sentReferral(caseId, 'shelter', 'for Shelter only');
		const proposed = sentReferral(caseId, 'galop', 'not yet agreed');
		db.$client
			.prepare("update partner_referrals set status = 'proposed' where id = ?")
			.run(proposed);
		for (const id of [shelters, proposed, 'no-such-id', 'x'.repeat(500)]) {
			expect(work.openReferral(galop, id)).toEqual({ ok: false, reason: 'not_found' });
		}
		expect(rows("select id from audit_log where action = 'partner_referral_viewed'")).toEqual([]);
	});

	it('cannot open one the person withdrew from', async () => {
		const caseId = await newCase();
		const shelter = await partnerWorker('shelter', 'Sam');
		const id = sentReferral(caseId, 'shelter', 'summary');
		db.$client.prepare("update partner_referrals set status = 'withdrawn' where id = ?").run(id);
		expect(work.openReferral(shelter, id)).toEqual({ ok: false, reason: 'withdrawn' });
		expect(work.accept(shelter, id, 'Sam')).toMatchObject({
			ok: false,
			error: 'staff.partnerArea.errors.withdrawn'
		});
	});
});

describe('the agency’s answers', () => {
	it('accepting names the worker to the person, sealed at rest, and tells both sides', async () => {
		const caseId = await newCase();
		const shelter = await partnerWorker('shelter', 'Sam');
		const id = sentReferral(caseId, 'shelter', 'summary');
		expect(work.accept(shelter, id, 'Zebedee')).toEqual({ ok: true });
		expect(statusOf(id)).toBe('accepted');
		expect(personReads(caseId)).toEqual([
			'Shelter has agreed to help you. Your worker there is Zebedee.'
		]);
		expect(work.nameWorker(shelter, id, 'Priyanka')).toEqual({ ok: true });
		expect(personReads(caseId)).toContain('Your worker at Shelter is now Priyanka.');
		expect(work.forStaff(caseId, id)).toMatchObject({ status: 'accepted', worker: 'Priyanka' });
		const sealed = rows<{ w: string }>(
			'select partner_worker_sealed as w from partner_referrals where id = ?',
			id
		);
		expect(sealed[0]!.w).not.toContain('Priyanka');
		expect(
			rows(
				'select kind, audience from outbox where case_id = ? order by created_at, rowid',
				caseId
			).filter((r) => (r as { kind: string }).kind !== 'new_referral')
		).toEqual(
			expect.arrayContaining([
				{ kind: 'case_updated', audience: 'person' },
				{ kind: 'partner_answered', audience: 'staff' }
			])
		);
		expect(
			rows(
				"select actor_role from audit_log where action = 'partner_referral_answered' and case_id = ?",
				caseId
			)
		).toHaveLength(2);
	});

	it('declining tells the person only that the agency cannot help; the caseworker reads why', async () => {
		const caseId = await newCase();
		const shelter = await partnerWorker('shelter', 'Sam');
		const id = sentReferral(caseId, 'shelter', 'summary');
		expect(work.decline(shelter, id, 'Outside our area: Croydon only')).toEqual({ ok: true });
		expect(personReads(caseId)).toEqual([
			'Shelter cannot help this time. Your named contact will talk to you about other options.'
		]);
		expect(
			JSON.stringify(rows('select * from case_events where case_id = ?', caseId))
		).not.toContain('Croydon');
		expect(work.forStaff(caseId, id)).toMatchObject({
			status: 'declined',
			declineReason: 'Outside our area: Croydon only'
		});
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		expect(readFileSync(path).toString('latin1')).not.toContain('Croydon only');
	});

	it('closing takes an outcome, and a note goes to the caseworker in the conversation', async () => {
		const caseId = await newCase();
		const shelter = await partnerWorker('shelter', 'Sam');
		const id = sentReferral(caseId, 'shelter', 'summary');
		work.accept(shelter, id, 'Sam');
		expect(work.close(shelter, id, 'supported', 'Rehoused in Hackney')).toEqual({ ok: true });
		expect(work.forStaff(caseId, id)).toMatchObject({ status: 'closed', outcome: 'supported' });
		expect(personReads(caseId)).toContain('Shelter has finished helping you.');
		expect(
			rows<{ side: string }>('select side from partner_messages where partner_referral_id = ?', id)
		).toEqual([{ side: 'partner' }]);
	});

	it('tells the person nothing of an agency’s answers to a referral shared without consent', async () => {
		// Shared without consent on a high-risk case: the person was not told (their named contact
		// decides when that is safe), so a notice that "Galop has agreed to help you" could reach
		// the phone the person who hurt them reads. The caseworker still hears and sees each one.
		const caseId = await newCase();
		const galop = await partnerWorker('galop', 'Kit');
		const id = sentReferral(caseId, 'galop', 'summary', { withoutConsent: true });
		expect(work.accept(galop, id, 'Sam')).toEqual({ ok: true });
		expect(work.nameWorker(galop, id, 'Priyanka')).toEqual({ ok: true });
		expect(work.close(galop, id, 'supported', '')).toEqual({ ok: true });
		const declined = sentReferral(caseId, 'galop', 'another', { withoutConsent: true });
		expect(work.decline(galop, declined, 'Full this month')).toEqual({ ok: true });
		expect(personReads(caseId)).toEqual([]);
		const notices = rows<{ kind: string; audience: string }>(
			"select kind, audience from outbox where case_id = ? and kind <> 'new_referral'",
			caseId
		);
		expect(notices.filter((n) => n.audience === 'person')).toEqual([]);
		expect(notices.filter((n) => n.kind === 'partner_answered')).toHaveLength(4);
		expect(
			rows<{ kind: string }>(
				"select kind from case_events where case_id = ? and kind like 'partner_%' order by created_at, rowid",
				caseId
			).map((e) => e.kind)
		).toEqual([
			'partner_accepted_worker',
			'partner_worker_changed',
			'partner_closed',
			'partner_declined'
		]);
	});

	it('refuses a change in the wrong status, or to another agency’s referral, changing nothing', async () => {
		const caseId = await newCase();
		const shelter = await partnerWorker('shelter', 'Sam');
		const galop = await partnerWorker('galop', 'Kit');
		const id = sentReferral(caseId, 'shelter', 'summary');
		const status = { ok: false, error: 'staff.partnerArea.errors.status' };
		expect(work.nameWorker(shelter, id, 'Sam')).toMatchObject(status);
		expect(work.close(shelter, id, 'supported', '')).toMatchObject(status);
		for (const change of [
			() => work.accept(galop, id, 'Kit'),
			() => work.decline(galop, id, 'no'),
			() => work.close(galop, id, 'other', '')
		]) {
			expect(change()).toMatchObject({ ok: false, error: 'staff.partnerArea.errors.notFound' });
		}
		expect(statusOf(id)).toBe('sent');
		work.accept(shelter, id, 'Sam');
		expect(work.accept(shelter, id, 'Again')).toMatchObject(status);
		expect(work.decline(shelter, id, 'late')).toMatchObject(status);
		expect(personReads(caseId)).toHaveLength(1);
	});
});
