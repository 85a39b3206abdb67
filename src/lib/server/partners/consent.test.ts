import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { eq } from 'drizzle-orm';
import type { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { env } from '$env/dynamic/private';
import { config } from '$lib/server/config';
import { sendDue } from '$lib/server/notify/outbox';
import { startTestSmtp } from '$lib/server/notify/test-smtp';
import * as cases from '$lib/server/cases';
import type { CaseRow } from '$lib/server/cases/access';
import { freshDatabase } from '$lib/server/db/testing';
import {
	cases as casesTable,
	outbox,
	partnerAgencies,
	partnerReferrals
} from '$lib/server/db/schema';
import * as referrals from '$lib/server/referrals';
import { saveSteps, staffMember, testCipher, validSteps } from '$lib/server/testing/fixtures';
import * as partners from './index';
import * as forPerson from './for-person';
import * as sharing from './sharing';
import * as work from './work';
import type { PartnerActor } from './work';
import { partnerWorker } from '$lib/server/testing/partners';

let db: ReturnType<typeof freshDatabase>['db'];
let path: string;
beforeEach(() => {
	({ db, path } = freshDatabase());
	testCipher();
	// Galop has a shared inbox; Shelter has none.
	db.update(partnerAgencies)
		.set({ inboxEmail: 'referrals@galop.example' })
		.where(eq(partnerAgencies.id, 'galop'))
		.run();
});

async function newCase() {
	const sent = await referrals.submit(await saveSteps(validSteps()));
	if (!sent.ok) throw new Error('referral incomplete');
	return { id: sent.caseId, reference: sent.reference };
}

const row = (id: string): CaseRow =>
	db.select().from(casesTable).where(eq(casesTable.id, id)).get()!;
const person = (caseId: string) => ({ userId: row(caseId).personId });
const referralsOf = (caseId: string) =>
	db.select().from(partnerReferrals).where(eq(partnerReferrals.caseId, caseId)).all();
const rows = (sql: string, ...args: unknown[]) => db.$client.prepare(sql).all(...args);
/** Everything a change writes for a case: referrals, events, audit rows, and every outbox row. */
const everything = (caseId: string) => ({
	referrals: referralsOf(caseId),
	events: rows('select kind, visible_to_person from case_events where case_id = ?', caseId),
	audit: rows('select action, actor_role, detail from audit_log where case_id = ?', caseId),
	outbox: rows('select kind, audience, case_id from outbox')
});
const lastAudit = (caseId: string) =>
	rows('select action, actor_role, detail from audit_log where case_id = ? order by id', caseId).at(
		-1
	);
const lastEvent = (caseId: string) =>
	rows(
		'select kind, visible_to_person as visible, params from case_events where case_id = ? order by rowid',
		caseId
	).at(-1);
const agencyMail = () =>
	db
		.select()
		.from(outbox)
		.all()
		.filter((o) => o.kind.startsWith('agency_'));

const summary = 'Agnieszka would like support as an LGBT+ person after a burglary at home.';

async function proposed(agency = 'galop') {
	const made = await newCase();
	const worker = staffMember('caseworker', `Amira${Math.random()}`.replace('.', ''));
	expect(
		partners.propose(worker, row(made.id), agency, { reason: 'Specialist support.', summary })
	).toEqual({ ok: true });
	const [referral] = referralsOf(made.id);
	return { ...made, worker, referralId: referral!.id };
}

describe('proposing a referral', () => {
	it('shares nothing, asks the person, and seals what the agency will see', async () => {
		const { id, reference } = await proposed();
		const [referral] = referralsOf(id);
		expect(referral).toMatchObject({ status: 'proposed', consentBasis: null, sentAt: null });
		expect(agencyMail()).toEqual([]);
		expect(lastAudit(id)).toMatchObject({ action: 'partner_referral_proposed' });
		expect(lastEvent(id)).toMatchObject({ kind: 'partner_proposed', visible: 0 });
		// The person is asked on /my, and told there is something new by a safe route.
		expect(forPerson.waiting(id)).toEqual([{ id: referral!.id, agency: 'Galop' }]);
		expect(cases.person.overview(row(id)).helping).toEqual([]);
		expect(
			rows("select kind from outbox where case_id = ? and kind = 'case_updated'", id)
		).toHaveLength(1);
		expect(forPerson.own(id, referral!.id)).toMatchObject({ summary, status: 'proposed' });
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		const raw = readFileSync(path).toString('latin1');
		expect(raw).not.toContain('LGBT+ person after a burglary');
		expect(raw).not.toContain('Specialist support.');
		expect(reference).toBeTruthy();
	});

	it('is refused for an agency not offered, or with an open referral to it, changing nothing', async () => {
		const { id, worker } = await proposed('galop');
		const before = everything(id);
		const again = partners.propose(worker, row(id), 'galop', { reason: 'x', summary: 'y' });
		expect(again).toEqual({ ok: false, field: 'agency', error: 'staff.errors.alreadyOpen' });
		const unknown = partners.propose(worker, row(id), 'no-such', { reason: 'x', summary: 'y' });
		expect(unknown).toEqual({ ok: false, field: 'agency', error: 'staff.errors.agency' });
		expect(everything(id)).toEqual(before);
		// Another agency is a separate question.
		expect(partners.propose(worker, row(id), 'shelter', { reason: 'x', summary: 'y' })).toEqual({
			ok: true
		});
	});
});

describe('the person answers', () => {
	it('yes: the referral is sent, the agency inbox is told with nothing personal, staff hear', async () => {
		const { id, reference, referralId } = await proposed();
		expect(partners.answer(person(id), row(id), referralId, 'yes')).toEqual({ ok: true });
		const [referral] = referralsOf(id);
		expect(referral).toMatchObject({
			status: 'sent',
			consentBasis: 'portal',
			consentBy: row(id).personId
		});
		expect(referral!.consentAt).toBeInstanceOf(Date);
		expect(referral!.sentAt).toEqual(referral!.consentAt);
		expect(lastAudit(id)).toMatchObject({ action: 'partner_consent_given', actor_role: 'person' });
		expect(lastEvent(id)).toMatchObject({ kind: 'partner_sent', visible: 1 });
		expect(
			rows("select audience from outbox where case_id = ? and kind = 'partner_answer'", id)
		).toEqual([{ audience: 'staff' }]);

		const [mail] = agencyMail();
		expect(mail).toMatchObject({ kind: 'agency_sent', audience: 'staff', caseId: null });
		expect(mail!.payload).toMatchObject({ channel: 'email', to: 'referrals@galop.example' });
		const words = `${mail!.payload!.subject}\n${mail!.payload!.text}`;
		expect(words).toContain('Galop');
		expect(words).toMatch(/https?:\/\/[^\s]+\/partner$/);
		for (const personal of [reference, 'Agnieszka', 'burglary', 'LGBT', 'Specialist', '07700']) {
			expect(words).not.toContain(personal);
		}
		// The person now sees the agency as helping, and may withdraw.
		expect(cases.person.overview(row(id)).helping).toMatchObject([{ agency: 'Galop' }]);
		expect(forPerson.sharedWith(id)).toMatchObject([{ id: referralId, agency: 'Galop' }]);
		expect(forPerson.waiting(id)).toEqual([]);
	});

	it('no: nothing is shared, no agency is told, and the answer cannot be given twice', async () => {
		const { id, referralId } = await proposed();
		expect(partners.answer(person(id), row(id), referralId, 'no')).toEqual({ ok: true });
		expect(referralsOf(id)[0]).toMatchObject({ status: 'refused', sentAt: null, consentAt: null });
		expect(lastAudit(id)).toMatchObject({ action: 'partner_consent_refused' });
		expect(lastEvent(id)).toMatchObject({ kind: 'partner_refused', visible: 1 });
		expect(agencyMail()).toEqual([]);
		const before = everything(id);
		expect(partners.answer(person(id), row(id), referralId, 'yes')).toEqual({
			ok: false,
			field: 'form',
			error: 'my.sharing.errors.notWaiting'
		});
		expect(everything(id)).toEqual(before);
	});

	it('cannot answer for another case, nor once the case is closed', async () => {
		const { id, referralId } = await proposed();
		const other = await newCase();
		const before = everything(id);
		expect(partners.answer(person(other.id), row(other.id), referralId, 'yes')).toMatchObject({
			ok: false,
			error: 'my.sharing.errors.notWaiting'
		});
		expect(everything(id)).toEqual(before);
		const supervisor = staffMember('supervisor', 'Jo');
		expect(cases.changes.close(supervisor, row(id), 'other', true)).toEqual({ ok: true });
		expect(partners.answer(person(id), row(id), referralId, 'yes')).toMatchObject({
			ok: false,
			error: 'my.details.closed'
		});
		// Closing ended the question: never sent, and the person is no longer asked.
		expect(referralsOf(id)[0]!.status).toBe('cancelled');
		expect(forPerson.waiting(id)).toEqual([]);
		expect(forPerson.own(id, referralId)).toMatchObject({ waiting: false, sharing: false });
		expect(agencyMail()).toEqual([]);
	});
});

describe('closing a case with partner referrals', () => {
	it('ends the questions still waiting on the person; the agency still finishes what it was sent', async () => {
		const { id, referralId: toGalop, worker } = await proposed('galop');
		expect(partners.answer(person(id), row(id), toGalop, 'yes')).toEqual({ ok: true });
		expect(
			partners.propose(worker, row(id), 'shelter', { reason: 'Housing.', summary: 'Housing.' })
		).toEqual({ ok: true });
		const toShelter = referralsOf(id).find((r) => r.agencyId === 'shelter')!.id;
		expect(forPerson.waiting(id).map((w) => w.id)).toEqual([toShelter]);

		expect(cases.changes.close(worker, row(id), 'support_completed', true)).toEqual({ ok: true });
		const status = () => Object.fromEntries(referralsOf(id).map((r) => [r.agencyId, r.status]));
		expect(status()).toEqual({ galop: 'sent', shelter: 'cancelled' });
		expect(forPerson.waiting(id)).toEqual([]);

		// The agency accepts, then closes, what it was sent before our case closed. The person's
		// timeline shows it, but a closed case no longer sends them notices.
		const toPerson = () => rows("select id from outbox where audience = 'person'").length;
		const noticesBefore = toPerson();
		const galop = await partnerWorker('galop', 'Kit');
		expect(work.accept(galop, toGalop, 'Kit')).toEqual({ ok: true });
		expect(lastEvent(id)).toMatchObject({ kind: 'partner_accepted_worker', visible: 1 });
		expect(work.close(galop, toGalop, 'supported', 'Housed in May.')).toEqual({ ok: true });
		expect(status()).toEqual({ galop: 'closed', shelter: 'cancelled' });
		expect(toPerson()).toBe(noticesBefore);
		expect(lastAudit(id)).toMatchObject({
			action: 'partner_referral_answered',
			actor_role: 'partner',
			detail: 'partner_closed'
		});
		// Our closed record itself stays closed: no caseworker change is taken.
		expect(row(id)).toMatchObject({ status: 'closed', outcome: 'support_completed' });
		expect(
			partners.propose(worker, row(id), 'shelter', { reason: 'Again.', summary: 'Again.' })
		).toMatchObject({ ok: false, error: 'staff.errors.closed' });
	});

	it('migration 0020 ends the questions left waiting on cases closed before it', async () => {
		const closed = await proposed('galop');
		const open = await proposed('shelter');
		expect(cases.changes.close(closed.worker, row(closed.id), 'other', true)).toEqual({ ok: true });
		db.$client.exec("update partner_referrals set status = 'proposed'");
		db.$client.exec(readFileSync('drizzle/0020_cancel_stranded_proposals.sql', 'utf8'));
		expect(referralsOf(closed.id)[0]!.status).toBe('cancelled');
		expect(referralsOf(open.id)[0]!.status).toBe('proposed');
	});
});

describe('an agency an admin has switched off', () => {
	it('is not asked about, and nothing is sent to it, until it is switched on again', async () => {
		const { id, referralId, worker } = await proposed('galop');
		const admin = staffMember('admin', 'Ade');
		expect(partners.setActive(admin, 'galop', false)).toEqual({ ok: true });
		const before = everything(id);

		expect(forPerson.waiting(id)).toEqual([]);
		expect(forPerson.own(id, referralId)).toMatchObject({ status: 'proposed', waiting: false });
		// A page opened before the switch, answered after it.
		expect(partners.answer(person(id), row(id), referralId, 'yes')).toEqual({
			ok: false,
			field: 'form',
			error: 'my.sharing.errors.ended'
		});
		expect(partners.recordConsent(worker, row(id), referralId, 'Agreed by phone.')).toEqual({
			ok: false,
			field: 'consentNote',
			error: 'staff.errors.agencyOff'
		});
		db.update(casesTable).set({ riskLevel: 'high' }).where(eq(casesTable.id, id)).run();
		expect(
			partners.shareWithoutConsent(worker, row(id), { referralId }, 'marac', 'High risk.')
		).toEqual({ ok: false, field: 'form', error: 'staff.errors.agencyOff' });
		expect(everything(id)).toEqual(before);

		expect(partners.setActive(admin, 'galop', true)).toEqual({ ok: true });
		expect(forPerson.waiting(id).map((w) => w.id)).toEqual([referralId]);
		expect(partners.answer(person(id), row(id), referralId, 'yes')).toEqual({ ok: true });
		expect(referralsOf(id)[0]!.status).toBe('sent');
	});
});

describe('recording consent', () => {
	it('sends the referral with the note sealed, also after an earlier no', async () => {
		const { id, worker, referralId } = await proposed();
		expect(partners.answer(person(id), row(id), referralId, 'no')).toEqual({ ok: true });
		const note = 'Agreed by phone on 3 March at 2pm after I read the summary aloud.';
		expect(partners.recordConsent(worker, row(id), referralId, note)).toEqual({ ok: true });
		const [referral] = referralsOf(id);
		expect(referral).toMatchObject({
			status: 'sent',
			consentBasis: 'recorded',
			consentBy: worker.userId
		});
		expect(partners.forCase(id)[0]).toMatchObject({ consentNote: note, summary });
		expect(lastAudit(id)).toMatchObject({ action: 'partner_consent_recorded' });
		expect(agencyMail().map((m) => m.kind)).toEqual(['agency_sent']);
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		expect(readFileSync(path).toString('latin1')).not.toContain('read the summary aloud');
	});

	it('is refused once sent, changing nothing', async () => {
		const { id, worker, referralId } = await proposed();
		expect(partners.recordConsent(worker, row(id), referralId, 'By phone.')).toEqual({ ok: true });
		const before = everything(id);
		expect(partners.recordConsent(worker, row(id), referralId, 'Again.')).toEqual({
			ok: false,
			field: 'consentNote',
			error: 'staff.errors.notWaiting'
		});
		expect(partners.recordConsent(worker, row(id), 'no-such-id', 'x')).toMatchObject({
			ok: false,
			error: 'staff.errors.notChanged'
		});
		expect(everything(id)).toEqual(before);
	});
});

describe('sharing without consent', () => {
	it('for MARAC only on a high-risk case, always with a reason, refused otherwise changing nothing', async () => {
		const { id } = await newCase();
		const worker = staffMember('caseworker', 'Amira');
		const target = { agencyId: 'galop', summary };
		const before = everything(id);
		expect(
			partners.shareWithoutConsent(worker, row(id), target, 'marac', 'Going to MARAC on Monday.')
		).toEqual({ ok: false, field: 'basis', error: 'staff.errors.notHighRisk' });
		expect(cases.changes.updateNeeds(worker, row(id), ['safety'], 'medium')).toEqual({ ok: true });
		const medium = everything(id);
		expect(
			partners.shareWithoutConsent(worker, row(id), target, 'marac', 'Going to MARAC on Monday.')
		).toMatchObject({ ok: false, error: 'staff.errors.notHighRisk' });
		expect(everything(id)).toEqual(medium);
		expect(before.referrals).toEqual([]);

		expect(cases.changes.updateNeeds(worker, row(id), ['safety'], 'high')).toEqual({ ok: true });
		const high = everything(id);
		expect(partners.shareWithoutConsent(worker, row(id), target, 'marac', '  ')).toEqual({
			ok: false,
			field: 'overrideReason',
			error: 'staff.errors.overrideReason'
		});
		expect(everything(id)).toEqual(high);

		expect(
			partners.shareWithoutConsent(worker, row(id), target, 'marac', 'Going to MARAC on Monday.')
		).toEqual({ ok: true });
		const [referral] = referralsOf(id);
		expect(referral).toMatchObject({
			status: 'sent',
			consentBasis: 'override',
			overrideBasis: 'marac',
			consentBy: worker.userId
		});
		expect(lastAudit(id)).toMatchObject({
			action: 'partner_shared_without_consent',
			detail: 'marac'
		});
		expect(lastEvent(id)).toMatchObject({ kind: 'partner_shared_without_consent', visible: 0 });
		expect(agencyMail().map((m) => m.kind)).toEqual(['agency_sent']);
		// The person is not shown it, and cannot withdraw what they did not agree to.
		expect(cases.person.overview(row(id)).helping).toEqual([]);
		expect(cases.person.overview(row(id)).seenBy.shares).toEqual([]);
		expect(forPerson.sharedWith(id)).toEqual([]);
		expect(forPerson.own(id, referral!.id)).toBeNull();
		const personTimeline = cases.forPerson(row(id)).timeline.map((e) => e.kind);
		expect(personTimeline).not.toContain('partner_shared_without_consent');
		expect(partners.withdraw(person(id), row(id), referral!.id)).toMatchObject({
			ok: false,
			error: 'my.sharing.errors.notShared'
		});
		expect(referralsOf(id)[0]!.status).toBe('sent');
	});

	it('for a child at risk at any risk level, sending a proposal already made', async () => {
		const { id, worker, referralId } = await proposed('shelter');
		expect(
			partners.shareWithoutConsent(
				worker,
				row(id),
				{ referralId },
				'child_at_risk',
				'A child in the home is at risk; the person cannot be reached safely.'
			)
		).toEqual({ ok: true });
		expect(referralsOf(id)).toMatchObject([
			{ id: referralId, status: 'sent', overrideBasis: 'child_at_risk' }
		]);
		// Shelter has no inbox: its workers see it in /partner, nobody is emailed.
		expect(agencyMail()).toEqual([]);
		// Sending it again is refused.
		expect(
			partners.shareWithoutConsent(worker, row(id), { referralId }, 'child_at_risk', 'Again')
		).toMatchObject({ ok: false, error: 'staff.errors.notWaiting' });
	});

	it('is listed for supervisors, newest first, a page at a time', async () => {
		const worker = staffMember('caseworker', 'Amira');
		const made: string[] = [];
		for (let n = 0; n < 3; n++) {
			const { id, reference } = await newCase();
			expect(
				partners.shareWithoutConsent(
					worker,
					row(id),
					{ agencyId: 'shelter', summary: 'Needs housing.' },
					'child_at_risk',
					`Reason ${n}`
				)
			).toEqual({ ok: true });
			made.push(reference);
		}
		const supervisor = staffMember('supervisor', 'Jo');
		const first = sharing.withoutConsent(supervisor, undefined, 2);
		expect(first.rows).toHaveLength(2);
		expect(first.rows[0]).toMatchObject({
			reference: made.at(-1),
			agency: 'Shelter',
			basis: 'child_at_risk',
			reason: 'Reason 2',
			by: 'amira@onedoor.test'
		});
		const second = sharing.withoutConsent(supervisor, first.next!, 2);
		expect(second.rows.map((r) => r.reference)).toEqual([made[0]]);
		expect(second.next).toBeNull();
		// Reading the reasons is recorded on each case listed.
		const viewed = rows(
			"select count(*) as n from audit_log where action = 'case_viewed' and actor_id = ?",
			supervisor.userId
		);
		expect(viewed).toEqual([{ n: 3 }]);
		// A cursor we did not make starts at the top, one past any date included.
		expect(sharing.withoutConsent(supervisor, 'not-a-cursor').rows[0]!.reference).toBe(made.at(-1));
		const farAway = Buffer.from(JSON.stringify([1e300, 'x'])).toString('base64url');
		expect(sharing.withoutConsent(supervisor, farAway).rows[0]!.reference).toBe(made.at(-1));
	});
});

describe('withdrawing consent', () => {
	it('stops sharing and tells the agency, and only from sent or accepted', async () => {
		const { id, reference, referralId } = await proposed();
		const before = everything(id);
		expect(partners.withdraw(person(id), row(id), referralId)).toMatchObject({
			ok: false,
			error: 'my.sharing.errors.notShared'
		});
		expect(everything(id)).toEqual(before);
		expect(partners.answer(person(id), row(id), referralId, 'yes')).toEqual({ ok: true });
		expect(partners.withdraw(person(id), row(id), referralId)).toEqual({ ok: true });
		const [referral] = referralsOf(id);
		expect(referral).toMatchObject({ status: 'withdrawn' });
		expect(referral!.withdrawnAt).toBeInstanceOf(Date);
		expect(lastAudit(id)).toMatchObject({
			action: 'partner_consent_withdrawn',
			actor_role: 'person'
		});
		expect(lastEvent(id)).toMatchObject({ kind: 'partner_withdrawn', visible: 1 });
		const mails = agencyMail();
		expect(mails.map((m) => m.kind)).toEqual(['agency_sent', 'agency_withdrawn']);
		const words = `${mails[1]!.payload!.subject}\n${mails[1]!.payload!.text}`;
		expect(words).toContain('withdrawn their consent to share with Galop');
		expect(words).not.toContain(reference);
		expect(words).not.toContain('Agnieszka');
		expect(forPerson.sharedWith(id)).toEqual([]);
		// Once withdrawn, a new proposal to the same agency may be made.
		const worker = staffMember('caseworker', 'Bo');
		expect(partners.propose(worker, row(id), 'galop', { reason: 'r', summary: 's' })).toEqual({
			ok: true
		});
	});
});

describe('withdrawing consent from an agency no longer offered', () => {
	it('still tells its inbox, with whom to ask which referral instead of a sign-in that cannot work', async () => {
		const { id, reference, referralId } = await proposed('galop');
		expect(partners.answer(person(id), row(id), referralId, 'yes')).toEqual({ ok: true });
		const admin = staffMember('admin', 'Ade');
		expect(partners.setActive(admin, 'galop', false)).toEqual({ ok: true });
		expect(partners.withdraw(person(id), row(id), referralId)).toEqual({ ok: true });
		const mail = agencyMail().find((m) => m.kind === 'agency_withdrawn');
		const words = `${mail!.payload!.subject}\n${mail!.payload!.text}`;
		expect(words).toContain('withdrawn their consent to share with Galop');
		expect(words).toContain('access to the partner area is switched off');
		expect(words).toContain(`contact us at ${config().privacy.controllerContact}`);
		expect(words).not.toContain('/partner');
		expect(words).not.toContain(reference);
	});
});

describe('withdrawing consent once the agency has answered', () => {
	it('is still possible while the agency can open what was shared: declined or finished', async () => {
		// "You can stop sharing at any time": an agency that declined, or finished, can still open
		// the summary, so the person can still stop it.
		for (const [agency, finish] of [
			['galop', (w: PartnerActor, id: string) => work.decline(w, id, 'Full this month')],
			[
				'shelter',
				(w: PartnerActor, id: string) => {
					work.accept(w, id, 'Sam');
					return work.close(w, id, 'supported', '');
				}
			]
		] as const) {
			const { id, referralId } = await proposed(agency);
			expect(partners.answer(person(id), row(id), referralId, 'yes')).toEqual({ ok: true });
			const worker = await partnerWorker(agency, 'Kit');
			expect(finish(worker, referralId)).toEqual({ ok: true });
			expect(work.openReferral(worker, referralId)).toMatchObject({ ok: true });
			expect(forPerson.sharedWith(id).map((r) => r.id)).toEqual([referralId]);
			expect(partners.withdraw(person(id), row(id), referralId)).toEqual({ ok: true });
			expect(work.openReferral(worker, referralId)).toMatchObject({ ok: false });
			expect(forPerson.sharedWith(id)).toEqual([]);
			expect(agencyMail().map((m) => m.kind)).toContain('agency_withdrawn');
		}
	});
});

describe('withdrawing consent once the case is closed', () => {
	it('is still possible, and the agency can no longer open what was shared', async () => {
		const { id, referralId, worker } = await proposed('galop');
		expect(partners.answer(person(id), row(id), referralId, 'yes')).toEqual({ ok: true });
		const galop = await partnerWorker('galop', 'Kit');
		expect(cases.changes.close(worker, row(id), 'support_completed', true)).toEqual({ ok: true });
		expect(work.openReferral(galop, referralId)).toMatchObject({ ok: true });
		expect(partners.withdraw(person(id), row(id), referralId)).toEqual({ ok: true });
		expect(work.openReferral(galop, referralId)).toMatchObject({ ok: false });
		expect(agencyMail().map((m) => m.kind)).toEqual(['agency_sent', 'agency_withdrawn']);
	});
});

describe('the notices, as sent', () => {
	let smtp: SMTPServer | undefined;
	afterEach(async () => {
		await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
		smtp = undefined;
	});

	it('reach the agency inbox, and every supervisor hears of sharing without consent', async () => {
		const received: { to: string[]; subject: string; text: string }[] = [];
		const port = await new Promise<number>((resolve) => {
			const probe = createServer().listen(0, '127.0.0.1', () => {
				const { port } = probe.address() as { port: number };
				probe.close(() => resolve(port));
			});
		});
		env.SMTP_URL = `smtp://127.0.0.1:${port}`;
		smtp = await startTestSmtp(port, received);
		const { id, reference } = await newCase();
		const supervisor = staffMember('supervisor', 'Jo');
		const worker = staffMember('caseworker', 'Amira');
		expect(cases.changes.assign(supervisor, row(id), worker.userId)).toEqual({ ok: true });
		await sendDue(new Date(Date.now() + 60_000));
		received.length = 0;

		expect(
			partners.shareWithoutConsent(
				worker,
				row(id),
				{ agencyId: 'galop', summary },
				'child_at_risk',
				'Her son said he is hit at home.'
			)
		).toEqual({ ok: true });
		await sendDue(new Date(Date.now() + 60_000));
		const to = (address: string) => received.filter((mail) => mail.to.includes(address));
		expect(to('referrals@galop.example')).toHaveLength(1);
		expect(to('jo@onedoor.test')).toHaveLength(1);
		// It goes to the supervisors, not to the named contact.
		expect(to('amira@onedoor.test')).toHaveLength(0);
		for (const mail of received) {
			for (const personal of [reference, 'Agnieszka', 'hit at home', 'burglary', 'LGBT']) {
				expect(`${mail.subject}\n${mail.text}`).not.toContain(personal);
			}
		}
	});
});
