import type { RequestEvent } from '@sveltejs/kit';
import Database from 'better-sqlite3';
import { eq, sql, type SQL } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { people, sessions } from '$lib/server/auth';
import * as emailLinks from '$lib/server/auth/email-links';
import * as cases from '$lib/server/cases';
import type { Actor, CaseRow } from '$lib/server/cases/access';
import * as court from '$lib/server/court';
import { freshDatabase } from '$lib/server/db/testing';
import { cases as casesTable, partnerMessages, partnerReferrals } from '$lib/server/db/schema';
import { seal } from '$lib/server/crypto';
import { fixedT } from '$lib/server/i18n';
import * as messages from '$lib/server/messages';
import * as partners from '$lib/server/partners';
import * as referrals from '$lib/server/referrals';
import * as reports from '$lib/server/reports';
import {
	cookieJar,
	formData,
	saveSteps,
	staffMember,
	testCipher,
	validSteps
} from '$lib/server/testing/fixtures';
import * as recordPage from '../../../routes/staff/cases/[reference]/+page.server';
import * as assessmentPage from '../../../routes/staff/cases/[reference]/assessment/+page.server';
import * as auditPage from '../../../routes/staff/cases/[reference]/audit/+page.server';
import * as courtPage from '../../../routes/staff/cases/[reference]/court/+page.server';
import * as messagesPage from '../../../routes/staff/cases/[reference]/messages/+page.server';
import * as partnersPage from '../../../routes/staff/cases/[reference]/partners/+page.server';
import * as retentionPage from '../../../routes/staff/cases/[reference]/retention/+page.server';
import { actions } from '../../../routes/staff/cases/[reference]/retention/+page.server';
import { anonymiseExpired, due, dueBatch } from './retention';

let db: ReturnType<typeof freshDatabase>['db'];
beforeEach(() => {
	({ db } = freshDatabase());
	testCipher();
});
afterEach(() => {
	vi.useRealTimers();
});

const day = 86_400_000;
const passphrase = 'purple kettle river moon';

const row = (id: string): CaseRow =>
	db.select().from(casesTable).where(eq(casesTable.id, id)).get()!;

async function refer(crimeType = 'burglary') {
	const draftToken = await saveSteps(
		validSteps({ 'what-happened': { crimeType, when: 'month', date: '' } })
	);
	const sent = await referrals.submit(draftToken);
	if (!sent.ok) throw new Error('referral incomplete');
	return sent;
}

/**
 * A case with something in every place personal data lives: notes, DASH, a partner referral,
 * a hearing and a request, messages both ways, a session, an email link, a reset code, a failed
 * sign-in, a court checklist.
 */
async function worked(supervisor: Actor, worker: Actor, crimeType?: string) {
	const sent = await refer(crimeType);
	const id = sent.caseId;
	const personId = row(id).personId;
	const ok = { ok: true };
	expect(cases.changes.assign(supervisor, row(id), worker.userId)).toEqual(ok);
	expect(cases.changes.addNote(worker, row(id), 'Partner was in the room.')).toEqual(ok);
	expect(cases.changes.recordDash(worker, row(id), ['q1', 'q2', 'q3'])).toMatchObject(ok);
	expect(
		partners.propose(worker, row(id), 'shelter', {
			reason: 'Needs a safe place to stay.',
			summary: 'Needs somewhere safe to live, away from her partner.'
		})
	).toEqual(ok);
	const [proposal] = partners.forCase(id);
	expect(partners.recordConsent(worker, row(id), proposal!.id, 'Agreed by phone.')).toEqual(ok);
	expect(
		partners.shareWithoutConsent(
			worker,
			row(id),
			{ agencyId: 'galop', summary: 'A child in the home is at risk.' },
			'child_at_risk',
			'Her son said he is hit at home.'
		)
	).toEqual(ok);
	// What the agency's side writes (partners/work.ts): its worker, its answer, the conversation.
	db.update(partnerReferrals)
		.set({ partnerWorkerSealed: seal('Sam at Shelter'), declineReasonSealed: seal('Full.') })
		.where(eq(partnerReferrals.id, proposal!.id))
		.run();
	db.insert(partnerMessages)
		.values({
			partnerReferralId: proposal!.id,
			side: 'staff',
			authorId: worker.userId,
			bodySealed: seal('She prefers mornings.')!
		})
		.run();
	const courtId = court.allCourts()[0]!.id;
	const startsAt = new Date(Date.now() + 30 * day);
	expect(court.recordHearing(worker, row(id), { courtId, startsAt, type: 'trial' })).toEqual(ok);
	expect(court.request(row(id), 'visit', { dates: 'Any Monday' })).toBe(true);
	expect(court.saveChecklist(row(id), ['id'])).toBe(true);
	expect(messages.send(id, 'person', personId, 'Can you call me after six?')).toMatchObject(ok);
	expect(messages.send(id, 'staff', worker.userId, 'Yes, I will.')).toMatchObject(ok);
	sessions.start(personId);
	emailLinks.request(sent.reference, 'sign_in', cookieJar(), '192.0.2.7', fixedT('en'), 'en');
	await people.issueResetCode(supervisor, personId, id);
	await people.signIn(sent.reference, 'not the passphrase', '192.0.2.8');
	await people.resetWithCode(sent.reference, 'WRONG-CODE', 'a new passphrase here', '192.0.2.8');
	return { id, reference: sent.reference, personId };
}

const count = (sql: string, ...args: unknown[]) =>
	(db.$client.prepare(sql).get(...args) as { n: number }).n;

/** How much personal data about the case and its person is left, place by place. */
function traces(caseId: string) {
	const c = db.$client.prepare('select * from cases where id = ?').get(caseId) as Record<
		string,
		unknown
	>;
	const referral = db.$client
		.prepare('select * from referrals where id = ?')
		.get(c.referral_id) as Record<string, unknown>;
	const person = db.$client.prepare('select * from users where id = ?').get(c.person_id) as Record<
		string,
		unknown
	>;
	const ref = String(c.reference).toLowerCase();
	const n = (table: string) =>
		count(`select count(*) as n from ${table} where case_id = ?`, caseId);
	return {
		events: n('case_events'),
		messages: n('messages'),
		courtRequests: n('court_requests'),
		hearings: n('court_hearings'),
		nameTokens: n('case_name_tokens'),
		outbox: n('outbox'),
		drafts: n('referral_drafts'),
		partnerReasons: count(
			"select count(*) as n from partner_referrals where case_id = ? and reason_sealed <> ''",
			caseId
		),
		partnerMessages: count(
			'select count(*) as n from partner_messages where partner_referral_id in (select id from partner_referrals where case_id = ?)',
			caseId
		),
		referralSealed: [
			'account_sealed',
			'names_sealed',
			'contact_sealed',
			'crime_reference_sealed',
			'access_needs_sealed'
		].filter((column) => referral[column] !== null).length,
		crimeDate: (JSON.parse(String(referral.answers)) as { date: string }).date,
		caseSealed: c.dash_sealed !== null,
		checklist: JSON.parse(String(c.court_checklist)).length,
		safeChannels: JSON.parse(String(c.safe_channels)).length,
		personSecrets: ['secret_hash', 'name_sealed', 'reset_hash'].filter((k) => person[k] !== null)
			.length,
		sessions: count('select count(*) as n from sessions where user_id = ?', c.person_id),
		emailLinks: count('select count(*) as n from email_links where user_id = ?', c.person_id),
		signInFailures: count(
			'select count(*) as n from sign_in_failures where key like ?',
			`%:${ref}%`
		)
	};
}

/** Every sealed value left in any row about the case, in any table that has a case_id. */
function sealedLeft(caseId: string): string[] {
	const tables = (
		db.$client
			.prepare(
				"select m.name from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table' and p.name = 'case_id'"
			)
			.all() as { name: string }[]
	).map((t) => t.name);
	const c = db.$client.prepare('select * from cases where id = ?').get(caseId) as Record<
		string,
		unknown
	>;
	const rows = [
		c,
		db.$client.prepare('select * from referrals where id = ?').get(c.referral_id),
		db.$client.prepare('select * from users where id = ?').get(c.person_id),
		...tables.flatMap((table) =>
			db.$client.prepare(`select * from ${table} where case_id = ?`).all(caseId)
		)
	];
	return rows.map((r) => JSON.stringify(r)).filter((text) => /v1\.test\./.test(text));
}

describe('retention', () => {
	it('anonymises exactly the closed cases past their date, and reports still count them', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		const t0 = new Date('2020-03-02T10:00:00Z');
		vi.setSystemTime(t0);
		const supervisor = staffMember('supervisor', 'Jo');
		const worker = staffMember('caseworker', 'Amira');
		const past = await worked(supervisor, worker, 'domestic_abuse');
		const dayLater = await worked(supervisor, worker);
		const open = await worked(supervisor, worker);
		const held = await worked(supervisor, worker);
		const before = traces(dayLater.id);
		expect(before.messages).toBe(2);
		expect(before.personSecrets).toBe(3);

		expect(cases.changes.close(worker, row(past.id), 'support_completed', true)).toEqual({
			ok: true
		});
		expect(cases.changes.close(worker, row(held.id), 'support_completed', true)).toEqual({
			ok: true
		});
		expect(
			cases.lifecycle.setLegalHold(supervisor, row(held.id), 'Civil claim: solicitors letter 4 May')
		).toEqual({ ok: true });
		vi.setSystemTime(new Date(t0.getTime() + day));
		expect(cases.changes.close(worker, row(dayLater.id), 'referred_on', true)).toEqual({
			ok: true
		});
		const countsBefore = reports.caseCounts();

		// Six years (2192 days) and an hour after the first closed.
		const now = new Date(t0.getTime() + 2192 * day + 3_600_000);
		vi.setSystemTime(now);
		// What the reports page announces before the sweep, then what the sweep does.
		expect(due(now, 2192)).toEqual({ toAnonymise: 1, held: 1 });
		expect(await anonymiseExpired(now, 2192)).toBe(1);
		expect(due(now, 2192)).toEqual({ toAnonymise: 0, held: 1 });

		expect(row(past.id).anonymisedAt).toEqual(now);
		for (const untouched of [dayLater, open, held]) {
			expect(row(untouched.id).anonymisedAt).toBeNull();
		}
		expect(traces(past.id)).toEqual({
			events: 0,
			messages: 0,
			courtRequests: 0,
			hearings: 0,
			nameTokens: 0,
			outbox: 0,
			drafts: 0,
			partnerReasons: 0,
			partnerMessages: 0,
			referralSealed: 0,
			crimeDate: '',
			caseSealed: false,
			checklist: 0,
			safeChannels: 0,
			personSecrets: 0,
			sessions: 0,
			emailLinks: 0,
			signInFailures: 0
		});
		expect(sealedLeft(past.id)).toEqual([]);
		// The case a day younger keeps everything it had.
		expect(traces(dayLater.id)).toMatchObject({
			// A wrong passphrase, a wrong reset code (each by reference and by reference and
			// address) and a sign-in link asked for.
			signInFailures: 5,
			messages: 2,
			hearings: 1,
			courtRequests: 1,
			partnerReasons: 2,
			partnerMessages: 1,
			// Account, names, contact (no crime reference or access needs were given).
			referralSealed: 3,
			personSecrets: 3
		});
		expect(cases.record.details(row(dayLater.id)).names.name).toBe('Agnieszka');
		expect(sealedLeft(held.id).length).toBeGreaterThan(0);

		// Nobody can sign in as the person any more, even with the right passphrase.
		expect(await people.signIn(past.reference, passphrase, '192.0.2.9')).toMatchObject({
			ok: false
		});
		expect(people.byReference(past.reference)).toBeUndefined();
		expect(await people.signIn(dayLater.reference, passphrase, '192.0.2.9')).toMatchObject({
			ok: true
		});

		// The facts stay, so counts do not move; the trail says the service did it.
		const kept = row(past.id);
		expect(kept).toMatchObject({
			status: 'closed',
			outcome: 'support_completed',
			crimeType: 'domestic_abuse',
			reference: past.reference
		});
		expect(reports.caseCounts()).toEqual({ ...countsBefore, anonymised: 1 });
		expect(countsBefore.total).toBeGreaterThanOrEqual(4);
		expect(
			reports.caseCounts().byCrimeType.find((tally) => tally.value === 'domestic_abuse')?.count
		).toBe(1);
		expect(cases.changes.addNote(supervisor, kept, 'after')).toMatchObject({ ok: false });
		const trail = db.$client
			.prepare(
				"select actor_id, actor_role from audit_log where case_id = ? and action = 'case_anonymised'"
			)
			.all(past.id);
		expect(trail).toEqual([{ actor_id: null, actor_role: null }]);

		// Run again: nothing more to do. The held case goes once its hold is lifted.
		expect(await anonymiseExpired(now, 2192)).toBe(0);
		expect(cases.lifecycle.liftLegalHold(supervisor, row(held.id), 'Claim settled 1 June')).toEqual(
			{ ok: true }
		);
		expect(await anonymiseExpired(now, 2192)).toBe(1);
		expect(row(held.id).anonymisedAt).toEqual(now);
		expect(row(dayLater.id).anonymisedAt).toBeNull();
	});
});

describe('retention in batches', () => {
	const t0 = new Date('2024-01-10T09:00:00Z');

	/** Cases referred and closed on these days after `t0`, in order; answers their ids. */
	async function closedOnDays(days: number[]) {
		vi.useFakeTimers({ toFake: ['Date'] });
		const worker = staffMember('supervisor', 'Jo');
		const ids: string[] = [];
		for (const d of days) {
			vi.setSystemTime(new Date(t0.getTime() + d * day));
			const sent = await refer();
			expect(cases.changes.close(worker, row(sent.caseId), 'no_contact', true)).toEqual({
				ok: true
			});
			ids.push(sent.caseId);
		}
		return ids;
	}

	it('works through more cases than one batch, each once, in order of closing', async () => {
		// Two close at the same moment: the keyset must not skip or repeat either.
		const ids = await closedOnDays([0, 1, 2, 3, 3]);
		const now = new Date(t0.getTime() + 365 * day + 3.5 * day);
		vi.setSystemTime(now);
		// Closed on days 0, 1, 2, 3 and 3, all more than 365 days ago: batches of two must find all.
		expect(await anonymiseExpired(now, 365, 2)).toBe(5);
		expect(ids.map((id) => row(id).anonymisedAt)).toEqual(ids.map(() => now));
		const audited = count(
			"select count(*) as n from audit_log where action = 'case_anonymised' and case_id in (?, ?, ?, ?, ?)",
			...ids
		);
		expect(audited).toBe(5);
	});

	it('goes on past a case that cannot be anonymised, and says so in one line', async () => {
		const ids = await closedOnDays([0, 1, 2]);
		// The first to close holds a damaged sealed value: reading its row throws.
		db.$client.prepare('update cases set dash_sealed = ? where id = ?').run('v1.test.AAAA', ids[0]);
		const now = new Date(t0.getTime() + 400 * day);
		vi.setSystemTime(now);
		const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		expect(await anonymiseExpired(now, 365, 2)).toBe(2);
		const anonymised = (id: string) =>
			count('select count(*) as n from cases where id = ? and anonymised_at is not null', id);
		expect(ids.map(anonymised)).toEqual([0, 1, 1]);
		expect(errors).toHaveBeenCalledTimes(1);
		const line = String(errors.mock.calls[0]![0]);
		expect(line).toMatch(
			/^OneDoor retention: 1 closed case\(s\) past their date could not be anonymised \([^\n]+\); the others were\.$/
		);
		for (const id of ids) expect(line).not.toContain(id);
		errors.mockRestore();
	});

	it('stops at once while a script holds the database, and anonymises them next time', async () => {
		const ids = await closedOnDays([0, 1, 2]);
		const now = new Date(t0.getTime() + 400 * day);
		vi.setSystemTime(now);
		const script = new Database(db.$client.name);
		script.exec('begin immediate');
		try {
			// Not counted as cases that cannot be anonymised: the sweep itself stops, to run again.
			await expect(anonymiseExpired(now, 365, 2)).rejects.toMatchObject({
				code: expect.stringMatching(/^SQLITE_BUSY/)
			});
		} finally {
			script.exec('rollback');
			script.close();
		}
		expect(ids.map((id) => row(id).anonymisedAt)).toEqual([null, null, null]);
		expect(await anonymiseExpired(now, 365, 2)).toBe(3);
	});

	it('finds each batch through the retention index, even as SQLite sees a city’s data', () => {
		// The planner chooses by statistics. These are what `optimize` sampled on the bench's
		// database (100,000 cases, 90,000 closed): left to choose, SQLite read every closed case
		// through the queue's status index and sorted them, 66 ms a sweep on the server's thread.
		db.$client.exec('analyze sqlite_schema');
		db.$client.exec("delete from sqlite_stat1 where tbl = 'cases'");
		const stat = db.$client.prepare("insert into sqlite_stat1 values ('cases', ?, ?)");
		for (const [index, value] of [
			['sqlite_autoindex_cases_1', '100000 1'],
			['cases_queue_open', '10000 1001 1 1'],
			['cases_queue_status', '100000 501 501 1 1'],
			['cases_retention', '90000 1'],
			['cases_legal_hold', '0 0'],
			['cases_anonymised', '0 0']
		]) {
			stat.run(index, value);
		}
		db.$client.exec('analyze sqlite_schema');
		const plan = (query: SQL) =>
			db
				.all<{ detail: string }>(sql`explain query plan ${query}`)
				.map((step) => step.detail)
				.join('; ');
		const cutoff = new Date('2020-01-01T00:00:00Z');
		for (const after of [null, { closedAt: cutoff.getTime() - day, id: 'x' }]) {
			const steps = plan(dueBatch(cutoff, after, 200));
			expect(steps).toContain('USING INDEX cases_retention (closed_at<?)');
			expect(steps).not.toContain('cases_queue_status');
		}
		expect(due(cutoff, 1)).toEqual({ toAnonymise: 0, held: 0 });
	});
});

/** A request to a console page or action as the signed-in staff member `actor`. */
function staffEvent(actor: Actor, reference: string, fields?: Record<string, string>) {
	const url = new URL(`http://localhost/staff/cases/${reference}/retention`);
	return {
		locals: {
			user: {
				sessionId: 'test',
				userId: actor.userId,
				role: actor.role,
				expiresAt: Date.now() + 3_600_000,
				secondFactorPending: false
			},
			lang: 'en',
			t: fixedT('en')
		},
		params: { reference },
		url,
		request: new Request(url, {
			method: fields ? 'POST' : 'GET',
			body: fields ? formData(fields) : undefined
		})
	} as unknown as RequestEvent & { params: { reference: string } };
}

const trailOf = (caseId: string) =>
	db.$client
		.prepare(
			'select action, actor_role as role, detail from audit_log where case_id = ? and action in (?, ?, ?) order by id'
		)
		.all(caseId, 'legal_hold_set', 'legal_hold_lifted', 'case_erased');

describe('erasure on request and legal hold', () => {
	it('a supervisor erases a case with a reason, refused under a legal hold; all audited', async () => {
		const supervisor = staffMember('supervisor', 'Jo');
		const worker = staffMember('caseworker', 'Amira');
		const open = await worked(supervisor, worker);
		const kept = traces(open.id);

		// A caseworker can neither hold nor erase, even their own case.
		expect(cases.lifecycle.erase(worker, row(open.id), 'Asked by phone', 'other')).toEqual({
			ok: false,
			field: 'reason',
			error: 'staff.errors.supervisorOnlyLifecycle'
		});
		expect(cases.lifecycle.setLegalHold(worker, row(open.id), 'x')).toMatchObject({ ok: false });

		// Under a hold, erasure is refused and changes nothing.
		expect(cases.lifecycle.setLegalHold(supervisor, row(open.id), 'Police request 12/345')).toEqual(
			{
				ok: true
			}
		);
		expect(cases.lifecycle.setLegalHold(supervisor, row(open.id), 'again')).toMatchObject({
			error: 'staff.errors.alreadyHeld'
		});
		expect(
			cases.lifecycle.erase(supervisor, row(open.id), 'Person asked on 3 May', 'support_declined')
		).toEqual({ ok: false, field: 'reason', error: 'staff.errors.onLegalHold' });
		expect(row(open.id)).toMatchObject({ status: 'assigned', anonymisedAt: null });
		expect(traces(open.id)).toMatchObject({ ...kept, events: kept.events + 1 });
		expect(cases.record.details(row(open.id)).legalHold?.reason).toBe('Police request 12/345');

		expect(
			cases.lifecycle.liftLegalHold(supervisor, row(open.id), 'Police confirmed no longer needed')
		).toEqual({ ok: true });
		// An open case needs the outcome it closes with.
		expect(cases.lifecycle.erase(supervisor, row(open.id), 'Person asked', null)).toMatchObject({
			field: 'outcome'
		});
		expect(
			cases.lifecycle.erase(supervisor, row(open.id), 'Person asked on 3 May', 'support_declined')
		).toEqual({ ok: true });

		expect(row(open.id)).toMatchObject({ status: 'closed', outcome: 'support_declined' });
		expect(row(open.id).anonymisedAt).not.toBeNull();
		expect(sealedLeft(open.id)).toEqual([]);
		expect(traces(open.id)).toMatchObject({ messages: 0, personSecrets: 0, sessions: 0 });
		expect(trailOf(open.id)).toEqual([
			{ action: 'legal_hold_set', role: 'supervisor', detail: 'Police request 12/345' },
			{
				action: 'legal_hold_lifted',
				role: 'supervisor',
				detail: 'Police confirmed no longer needed'
			},
			{ action: 'case_erased', role: 'supervisor', detail: 'Person asked on 3 May' }
		]);
		// Erased once is erased: a second try, or a hold, is refused.
		expect(cases.lifecycle.erase(supervisor, row(open.id), 'again', null)).toMatchObject({
			error: 'staff.errors.anonymised'
		});
	});

	it('the form refuses an empty reason or a missing confirmation and changes nothing', async () => {
		const supervisor = staffMember('supervisor', 'Jo');
		const worker = staffMember('caseworker', 'Amira');
		const open = await worked(supervisor, worker);
		const kept = traces(open.id);
		const post = (action: 'reviewErasure' | 'erase' | 'setHold', fields: Record<string, string>) =>
			actions[action]!(staffEvent(supervisor, open.reference, fields) as never);

		expect(await post('setHold', { holdReason: '   ' })).toMatchObject({
			status: 400,
			data: { form: 'setHold', errors: { holdReason: 'staff.errors.holdReason' } }
		});
		expect(await post('reviewErasure', { reason: '', outcome: 'other' })).toMatchObject({
			status: 400,
			data: { errors: { reason: 'staff.errors.eraseReason' } }
		});
		expect(await post('reviewErasure', { reason: 'Asked by phone', outcome: '' })).toMatchObject({
			status: 400,
			data: { errors: { outcome: 'staff.errors.outcome' } }
		});
		// The review step checks and changes nothing; the erasure needs the box ticked.
		expect(await post('reviewErasure', { reason: 'Asked by phone', outcome: 'other' })).toEqual({
			form: 'reviewErasure',
			review: { reason: 'Asked by phone', outcome: 'other' }
		});
		expect(await post('erase', { reason: 'Asked by phone', outcome: 'other' })).toMatchObject({
			status: 400,
			data: { errors: { confirm: 'staff.errors.confirmErase' } }
		});
		expect(await post('erase', { reason: '', outcome: 'other', confirm: 'yes' })).toMatchObject({
			status: 400,
			data: { errors: { reason: 'staff.errors.eraseReason' } }
		});
		expect(row(open.id)).toMatchObject({
			status: 'assigned',
			anonymisedAt: null,
			legalHoldAt: null
		});
		expect(traces(open.id)).toEqual(kept);
		expect(trailOf(open.id)).toEqual([]);

		expect(
			await post('erase', { reason: 'Asked by phone', outcome: 'other', confirm: 'yes' })
		).toEqual({ form: 'erase', done: 'staff.done.erased' });
		expect(row(open.id).anonymisedAt).not.toBeNull();
	});

	it("an anonymised case's console pages all load, and say so", async () => {
		const supervisor = staffMember('supervisor', 'Jo');
		const worker = staffMember('caseworker', 'Amira');
		const gone = await worked(supervisor, worker);
		expect(cases.lifecycle.erase(supervisor, row(gone.id), 'Asked', 'other')).toEqual({ ok: true });
		const event = () => staffEvent(supervisor, gone.reference) as never;

		const record = (await recordPage.load(event())) as Record<string, unknown> & {
			details: ReturnType<typeof cases.record.details>;
		};
		expect(record.details.anonymisedAt).toEqual(row(gone.id).anonymisedAt);
		expect(record.details.names.name).toBe('');
		expect(record.timeline).toEqual([]);
		expect(await retentionPage.load(event())).toMatchObject({
			details: { anonymisedAt: row(gone.id).anonymisedAt }
		});
		for (const page of [messagesPage, partnersPage, courtPage, assessmentPage, auditPage]) {
			await expect(Promise.resolve(page.load(event()))).resolves.toBeTruthy();
		}
		const blank = { reason: '', summary: '', consentNote: '', overrideReason: '' };
		expect((await partnersPage.load(event())) as { referrals: unknown[] }).toMatchObject({
			referrals: [blank, blank]
		});
	});
});
