import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { timelineText } from '$lib/timeline';
import { freshDatabase } from '$lib/server/db/testing';
import { cases as casesTable } from '$lib/server/db/schema';
import { fixedT } from '$lib/server/i18n';
import * as court from '$lib/server/court';
import * as messages from '$lib/server/messages';
import * as partners from '$lib/server/partners';
import * as referrals from '$lib/server/referrals';
import { saveSteps, staffMember, testCipher, validSteps } from '$lib/server/testing/fixtures';
import * as cases from './index';
import type { CaseRow } from './access';
import { eq } from 'drizzle-orm';
import { matchesSearch } from './search';

let db: ReturnType<typeof freshDatabase>['db'];
let path: string;
beforeEach(() => {
	({ db, path } = freshDatabase());
	testCipher();
});

async function refer(overrides: Record<string, Record<string, string | string[]>> = {}) {
	const draftToken = await saveSteps(validSteps(overrides));
	const sent = await referrals.submit(draftToken);
	if (!sent.ok) throw new Error('referral incomplete');
	return sent;
}

const row = (id: string): CaseRow =>
	db.select().from(casesTable).where(eq(casesTable.id, id)).get()!;
const count = (sql: string, ...args: unknown[]) =>
	(db.$client.prepare(sql).get(...args) as { n: number }).n;

/** How many timeline events, outbox rows and audit rows a case has. */
const trail = (caseId: string) => ({
	events: count('select count(*) as n from case_events where case_id = ?', caseId),
	outbox: count('select count(*) as n from outbox where case_id = ?', caseId),
	audit: count('select count(*) as n from audit_log where case_id = ?', caseId)
});

/** What the person reads in their timeline, rendered in their own language. */
function personSees(personId: string, lang: 'en' | 'pl' | 'ar') {
	const mine = cases.forPerson(cases.person.ownCase(personId)!);
	return mine.timeline.map((event) => timelineText(fixedT(lang), lang, event));
}

const polish = JSON.parse(readFileSync('src/lib/i18n/locales/pl/my.json', 'utf8'));

describe('working a case', () => {
	it('shows the person each visible step in their language, and nothing internal', async () => {
		const sent = await refer({
			'what-happened': { crimeType: 'domestic_abuse', when: 'ongoing', date: '' }
		});
		const supervisor = staffMember('supervisor', 'Jo');
		const worker = staffMember('caseworker', 'Amira');
		const personId = row(sent.caseId).personId;

		expect(cases.changes.assign(supervisor, row(sent.caseId), worker.userId)).toEqual({ ok: true });
		expect(cases.changes.recordFirstContact(worker, row(sent.caseId), 'phone')).toEqual({
			ok: true
		});
		expect(
			cases.changes.addNote(worker, row(sent.caseId), 'Partner was in the room; call back.')
		).toEqual({ ok: true });
		const yes = Array.from({ length: 15 }, (_, i) => `q${i + 1}`);
		expect(cases.changes.recordDash(worker, row(sent.caseId), yes)).toMatchObject({
			ok: true,
			score: 15
		});
		expect(
			cases.changes.updateNeeds(worker, row(sent.caseId), ['housing', 'safety'], 'high')
		).toEqual({ ok: true });
		expect(cases.changes.setStatus(worker, row(sent.caseId), 'support')).toEqual({ ok: true });
		expect(
			partners.propose(worker, row(sent.caseId), 'shelter', {
				reason: 'Needs a safe place to stay.',
				summary: 'Needs somewhere safe to live.'
			})
		).toEqual({ ok: true });
		const [proposal] = partners.forCase(sent.caseId);
		expect(partners.answer({ userId: personId }, row(sent.caseId), proposal!.id, 'yes')).toEqual({
			ok: true
		});
		const courtId = court.allCourts()[0]!.id;
		const startsAt = new Date(Date.now() + 30 * 86_400_000);
		expect(
			court.recordHearing(worker, row(sent.caseId), { courtId, startsAt, type: 'trial' })
		).toEqual({ ok: true });

		const visible = cases.forPerson(cases.person.ownCase(personId)!).timeline.map((e) => e.kind);
		expect(visible).toEqual(
			expect.arrayContaining([
				'referral_received',
				'contact_assigned',
				'status_support',
				'partner_sent',
				'hearing_recorded'
			])
		);
		// Notes, first contact, DASH and needs/risk are internal: none reaches the person.
		for (const internal of [
			'note',
			'first_contact',
			'dash_marac',
			'dash_recorded',
			'needs_updated'
		]) {
			expect(visible).not.toContain(internal);
		}
		const text = personSees(personId, 'pl').join('\n');
		expect(text).toContain('Amira');
		expect(text).not.toContain('Smith');
		expect(text).not.toMatch(/Partner was in the room|high|MARAC|DASH/);
		// Every visible event is the Polish template, not the English one.
		for (const kind of visible) expect(polish.timeline[kind], kind).toBeTruthy();
		expect(text).toContain(polish.timeline.status_support);
		// Each visible change staff made, and the question about sharing, tells the person there is
		// something new: none was sent yet, so they wait as one notice (outbox.test.ts).
		expect(count("select count(*) as n from outbox where audience = 'person'")).toBe(1);
	});

	it('keeps notes and DASH answers sealed in the database file', async () => {
		const sent = await refer();
		const worker = staffMember('supervisor', 'Jo');
		cases.changes.addNote(worker, row(sent.caseId), 'Very distinctive note text 7731');
		cases.changes.recordDash(worker, row(sent.caseId), ['q14', 'q15']);
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		const raw = readFileSync(path).toString('latin1');
		expect(raw).not.toContain('distinctive note text');
		expect(raw).not.toContain('"q14"');
		expect(cases.record.timeline(sent.caseId).find((e) => e.kind === 'note')?.params.text).toBe(
			'Very distinctive note text 7731'
		);
		expect(cases.record.dashAnswers(row(sent.caseId))).toEqual(['q14', 'q15']);
	});

	it('flags MARAC at 14 "yes" answers and not at 13', async () => {
		const sent = await refer();
		const worker = staffMember('supervisor', 'Jo');
		const answers = (n: number) => Array.from({ length: n }, (_, i) => `q${i + 1}`);
		cases.changes.recordDash(worker, row(sent.caseId), answers(13));
		expect(cases.record.details(row(sent.caseId)).marac).toBe(false);
		cases.changes.recordDash(worker, row(sent.caseId), answers(14));
		const details = cases.record.details(row(sent.caseId));
		expect(details.marac).toBe(true);
		expect(details.riskLevel).toBe('high');
	});

	it('shares nothing with a partner agency on the referral-time consent alone', async () => {
		const sent = await refer({ consent: { share: 'yes' } });
		const worker = staffMember('supervisor', 'Jo');
		const summary = { reason: 'Support please', summary: 'Wants LGBT+ specialist support.' };
		expect(partners.propose(worker, row(sent.caseId), 'galop', summary)).toEqual({ ok: true });
		expect(partners.forCase(sent.caseId)).toMatchObject([{ status: 'proposed', sentAt: null }]);
		expect(cases.person.overview(row(sent.caseId)).helping).toEqual([]);
		// The person's timeline shows nothing until they answer.
		expect(cases.forPerson(row(sent.caseId)).timeline).toHaveLength(1);
	});

	it('only records first contact by a route the person said is safe', async () => {
		const sent = await refer({
			contact: {
				...Object.fromEntries(validSteps())['contact'],
				channels: ['portal'],
				phone: '',
				email: ''
			}
		});
		const worker = staffMember('supervisor', 'Jo');
		expect(cases.changes.recordFirstContact(worker, row(sent.caseId), 'phone')).toMatchObject({
			ok: false,
			error: 'staff.errors.unsafeChannel'
		});
		expect(row(sent.caseId).firstContactAt).toBeNull();
		expect(cases.record.details(row(sent.caseId)).rules[0]).toEqual({ key: 'portalOnly' });
	});

	it('puts the safe-contact rules first, from what the person told us and has changed since', async () => {
		const sent = await refer({
			who: { who: 'family' },
			'about-them': { name: 'Ola', contact: '', knows: 'no' }
		});
		const rules = () => cases.record.details(row(sent.caseId)).rules.map((rule) => rule.key);
		expect(rules()).toEqual([
			'onlyBy',
			'doNotSayWhoWeAre',
			'noVoicemail',
			'safeTimes',
			'themUnaware'
		]);
		const contact = cases.person.preferences(row(sent.caseId)).contact;
		expect(
			cases.person.updatePreferences(row(sent.caseId), 'contact', {
				...contact,
				voicemail: 'yes',
				sayWhoWeAre: 'yes',
				safeTimes: ''
			})
		).toBe(true);
		expect(rules()).toEqual(['onlyBy', 'voicemailSafe', 'themUnaware']);
	});

	it('shows the person a court stage and page once a hearing is recorded, on their next page', async () => {
		const sent = await refer();
		const worker = staffMember('supervisor', 'Jo');
		// One page's row: the layout and the overview both ask of it.
		const before = row(sent.caseId);
		expect(cases.person.hasHearing(before)).toBe(false);
		expect(cases.person.overview(before).stages.map((s) => s.stage)).not.toContain('court');
		const [first] = court.allCourts();
		const startsAt = new Date(Date.now() + 10 * 86_400_000);
		court.recordHearing(worker, row(sent.caseId), { courtId: first!.id, startsAt, type: 'trial' });
		// The next page reads the case again: the hearing is there.
		const after = row(sent.caseId);
		expect(cases.person.hasHearing(after)).toBe(true);
		expect(cases.person.overview(after).stages.map((s) => s.stage)).toContain('court');
	});

	it('closes a case with work still open only when told to, and says what is open', async () => {
		const sent = await refer();
		const worker = staffMember('supervisor', 'Jo');
		const [first] = court.allCourts();
		const startsAt = new Date(Date.now() + 10 * 86_400_000);
		court.recordHearing(worker, row(sent.caseId), { courtId: first!.id, startsAt, type: 'trial' });
		messages.send(sent.caseId, 'person', row(sent.caseId).personId, 'Is anyone there?');
		expect(cases.changes.openWork(db, sent.caseId)).toEqual({
			hearings: 1,
			requests: 0,
			message: 1,
			referrals: 0
		});
		expect(cases.changes.close(worker, row(sent.caseId), 'support_completed')).toEqual({
			ok: false,
			field: 'anyway',
			error: 'staff.errors.closeOpenWork'
		});
		expect(row(sent.caseId).status).not.toBe('closed');
		expect(cases.changes.close(worker, row(sent.caseId), 'support_completed', true)).toEqual({
			ok: true
		});
		expect(row(sent.caseId).status).toBe('closed');
	});

	it('refuses a needs or DASH form opened before a colleague saved theirs, until it is sent again', async () => {
		const sent = await refer();
		const worker = staffMember('caseworker', 'Amira');
		const supervisor = staffMember('supervisor', 'Jo');
		expect(cases.changes.assign(supervisor, row(sent.caseId), worker.userId)).toEqual({ ok: true });
		// Both open the needs form; the supervisor saves first.
		const opened = cases.changes.needsShown(row(sent.caseId));
		expect(
			cases.changes.updateNeeds(supervisor, row(sent.caseId), ['housing', 'safety'], 'high', opened)
		).toEqual({ ok: true });
		// The caseworker's save, over a form that showed none of that, would take both back: it is
		// refused, and nothing is written, told or audited.
		const before = trail(sent.caseId);
		expect(
			cases.changes.updateNeeds(worker, row(sent.caseId), ['emotional'], 'standard', opened)
		).toEqual({ ok: false, field: 'needs', error: 'staff.errors.changedSince' });
		expect(row(sent.caseId)).toMatchObject({ needs: ['housing', 'safety'], riskLevel: 'high' });
		// The supervisor's own form sent twice (a double click, a reload that posts again) is
		// saved already: no refusal naming "someone", and nothing written again.
		expect(
			cases.changes.updateNeeds(supervisor, row(sent.caseId), ['safety', 'housing'], 'high', opened)
		).toEqual({ ok: true });
		expect(trail(sent.caseId)).toEqual(before);
		// Sent again from the page as it is now, the caseworker's change is theirs to make.
		const now = cases.changes.needsShown(row(sent.caseId));
		expect(now).toBe('housing,safety|high');
		expect(
			cases.changes.updateNeeds(worker, row(sent.caseId), ['emotional'], 'standard', now)
		).toEqual({ ok: true });
		expect(row(sent.caseId)).toMatchObject({ needs: ['emotional'], riskLevel: 'standard' });

		// A DASH checklist the same way: none was recorded when both opened it.
		expect(cases.changes.dashShown(row(sent.caseId))).toBe('none');
		const yes = cases.dashQuestions.slice(0, 3);
		expect(cases.changes.recordDash(supervisor, row(sent.caseId), yes, 'none')).toMatchObject({
			ok: true,
			score: 3
		});
		const recordedOnce = trail(sent.caseId);
		expect(cases.changes.recordDash(worker, row(sent.caseId), [], 'none')).toEqual({
			ok: false,
			field: 'yes',
			error: 'staff.errors.dashChangedSince'
		});
		expect(
			cases.changes.recordDash(supervisor, row(sent.caseId), [...yes].reverse(), 'none')
		).toMatchObject({
			ok: true
		});
		expect(trail(sent.caseId)).toEqual(recordedOnce);
		expect(row(sent.caseId).dashScore).toBe(3);
		const recorded = cases.changes.dashShown(row(sent.caseId));
		expect(cases.changes.recordDash(worker, row(sent.caseId), [], recorded)).toMatchObject({
			ok: true,
			score: 0
		});
		// A page from before these checks sends nothing ('' as an absent field is read): saved as is.
		expect(cases.changes.recordDash(worker, row(sent.caseId), yes, '')).toMatchObject({ ok: true });
		expect(cases.changes.updateNeeds(worker, row(sent.caseId), ['money'], 'medium', '')).toEqual({
			ok: true
		});
		expect(row(sent.caseId)).toMatchObject({ needs: ['money'], dashScore: 3 });
	});

	it('keeps the risk high while the latest DASH is at the MARAC threshold, whatever a needs form says', async () => {
		const sent = await refer();
		const worker = staffMember('caseworker', 'Amira');
		const supervisor = staffMember('supervisor', 'Jo');
		expect(cases.changes.assign(supervisor, row(sent.caseId), worker.userId)).toEqual({ ok: true });
		// A colleague records a DASH of 14 while the needs form (risk: medium) is open elsewhere.
		const yes = cases.dashQuestions.slice(0, cases.maracThreshold);
		expect(cases.changes.recordDash(worker, row(sent.caseId), yes)).toMatchObject({ ok: true });
		expect(row(sent.caseId).riskLevel).toBe('high');
		expect(cases.changes.updateNeeds(worker, row(sent.caseId), ['housing'], 'medium')).toEqual({
			ok: false,
			field: 'riskLevel',
			error: 'staff.errors.riskBelowDash'
		});
		expect(row(sent.caseId)).toMatchObject({ riskLevel: 'high' });
		expect(cases.changes.updateNeeds(worker, row(sent.caseId), ['housing'], 'high')).toEqual({
			ok: true
		});
	});

	it('keeps a closed case read-only', async () => {
		const sent = await refer();
		const worker = staffMember('supervisor', 'Jo');
		expect(cases.changes.close(worker, row(sent.caseId), 'support_completed')).toEqual({
			ok: true
		});
		const closed = { ok: false, field: 'form', error: 'staff.errors.closed' };
		expect(cases.changes.addNote(worker, row(sent.caseId), 'late note')).toEqual(closed);
		expect(cases.changes.setStatus(worker, row(sent.caseId), 'support')).toEqual(closed);
		expect(cases.changes.close(worker, row(sent.caseId), 'other')).toEqual(closed);
		expect(
			partners.propose(worker, row(sent.caseId), 'shelter', { reason: 'x', summary: 'y' })
		).toEqual(closed);
		expect(row(sent.caseId)).toMatchObject({ status: 'closed', outcome: 'support_completed' });
	});

	it('lets a supervisor open a closed case again, back to its named contact, and tells the person', async () => {
		const sent = await refer();
		const supervisor = staffMember('supervisor', 'Jo');
		const worker = staffMember('caseworker', 'Amira');
		expect(cases.changes.assign(supervisor, row(sent.caseId), worker.userId)).toEqual({ ok: true });
		expect(cases.changes.close(supervisor, row(sent.caseId), 'support_completed', true)).toEqual({
			ok: true
		});
		const closedTrail = trail(sent.caseId);
		const seenClosed = personSees(row(sent.caseId).personId, 'en');
		// Only a supervisor (or admin), and only with a reason.
		expect(cases.changes.reopen(worker, row(sent.caseId), 'closed too soon')).toMatchObject({
			ok: false,
			error: 'staff.errors.supervisorOnlyReopen'
		});
		expect(trail(sent.caseId)).toEqual(closedTrail);

		expect(cases.changes.reopen(supervisor, row(sent.caseId), 'closed too soon')).toEqual({
			ok: true
		});
		expect(row(sent.caseId)).toMatchObject({
			status: 'assigned',
			outcome: null,
			closedAt: null,
			caseworkerId: worker.userId
		});
		const after = trail(sent.caseId);
		// Why (for staff), then the stage (for the person too).
		expect(after.events).toBe(closedTrail.events + 2);
		expect(after.audit).toBe(closedTrail.audit + 1);
		expect(
			count(
				"select count(*) as n from outbox where case_id = ? and kind = 'case_updated' and audience = 'person' and status = 'pending'",
				sent.caseId
			)
		).toBe(1);
		expect(
			db.$client
				.prepare("select detail from audit_log where case_id = ? and action = 'case_reopened'")
				.all(sent.caseId)
		).toEqual([{ detail: 'closed too soon' }]);
		// The person sees the new stage in their timeline, in their language.
		const seen = personSees(row(sent.caseId).personId, 'en');
		expect(seen).toHaveLength(seenClosed.length + 1);
		expect(seen[0]).toBe('You have a named contact who will get in touch.');
		expect(cases.forPerson(cases.person.ownCase(row(sent.caseId).personId)!).status).toBe(
			'assigned'
		);

		// Open again, the record takes changes; an open case cannot be "opened again".
		expect(cases.changes.addNote(worker, row(sent.caseId), 'back in touch')).toEqual({ ok: true });
		expect(cases.changes.reopen(supervisor, row(sent.caseId), 'again')).toMatchObject({
			ok: false,
			error: 'staff.errors.notClosed'
		});
	});

	it('opens a case closed before anyone was named back into triage, with a first contact due afresh', async () => {
		const sent = await refer();
		const supervisor = staffMember('supervisor', 'Jo');
		// Closed before a first contact, long after it was due.
		db.update(casesTable)
			.set({ firstContactDueAt: new Date(Date.now() - 30 * 86_400_000) })
			.where(eq(casesTable.id, sent.caseId))
			.run();
		expect(cases.changes.close(supervisor, row(sent.caseId), 'other')).toEqual({ ok: true });
		expect(cases.changes.reopen(supervisor, row(sent.caseId), 'closed in error')).toEqual({
			ok: true
		});
		expect(row(sent.caseId)).toMatchObject({ status: 'in_triage', outcome: null });
		expect(row(sent.caseId).firstContactDueAt!.getTime()).toBeGreaterThan(Date.now());
		// Staff read why in the timeline; the person does not.
		const why = cases.record.timeline(sent.caseId).find((event) => event.kind === 'case_reopened');
		expect(why).toMatchObject({ visibleToPerson: false, params: { reason: 'closed in error' } });
	});

	it('opens a case whose named contact has left into triage, with no contact', async () => {
		const sent = await refer();
		const supervisor = staffMember('supervisor', 'Jo');
		const worker = staffMember('caseworker', 'Amira');
		expect(cases.changes.assign(supervisor, row(sent.caseId), worker.userId)).toEqual({ ok: true });
		expect(cases.changes.close(supervisor, row(sent.caseId), 'other')).toEqual({ ok: true });
		db.$client
			.prepare('update users set deactivated_at = ? where id = ?')
			.run(Date.now(), worker.userId);
		expect(cases.changes.reopen(supervisor, row(sent.caseId), 'closed in error')).toEqual({
			ok: true
		});
		expect(row(sent.caseId)).toMatchObject({ status: 'in_triage', caseworkerId: null });
		expect(cases.person.namedContact(row(sent.caseId))).toBeNull();
	});

	it('lets only a supervisor name the contact, and only an active caseworker or supervisor', async () => {
		const sent = await refer();
		const worker = staffMember('caseworker', 'Amira');
		const admin = staffMember('admin', 'Ade');
		expect(cases.changes.assign(worker, row(sent.caseId), worker.userId)).toMatchObject({
			ok: false,
			error: 'staff.errors.supervisorOnly'
		});
		expect(cases.changes.assign(admin, row(sent.caseId), admin.userId)).toMatchObject({
			ok: false,
			error: 'staff.errors.caseworker'
		});
		expect(row(sent.caseId).caseworkerId).toBeNull();
	});
});

describe('the partner agency list', () => {
	it('is seeded, can grow, and an agency taken off it is not offered or referred to', async () => {
		const admin = staffMember('admin', 'Priya');
		const names = () => partners.agencies().map((a) => a.name);
		expect(names()).toEqual(
			expect.arrayContaining([
				'Shelter',
				'Galop',
				'Sistah Space',
				'St Giles Trust',
				'Stay Safe East',
				'Calm Mediation',
				'Catch-22'
			])
		);
		expect(
			partners.addAgency(admin, {
				name: 'Refuge',
				does: 'Support for women.',
				helpsWith: ['safety']
			})
		).toEqual({ ok: true });
		expect(
			partners.addAgency(admin, { name: 'refuge', does: 'Again.', helpsWith: ['safety'] })
		).toMatchObject({ ok: false });
		expect(names()).toContain('Refuge');
		// A name in another script gets an id too, and is refused a second time like any other.
		const arabic = { name: 'ملجأ الأمان', does: 'دعم النساء.', helpsWith: ['safety'] };
		expect(partners.addAgency(admin, arabic)).toEqual({ ok: true });
		expect(partners.addAgency(admin, { ...arabic, name: ' ملجأ  الأمان ' })).toMatchObject({
			ok: false,
			error: 'staff.partnersAdmin.errors.taken'
		});
		expect(names()).toContain('ملجأ الأمان');
		expect(partners.setActive(admin, 'shelter', false)).toEqual({ ok: true });
		expect(names()).not.toContain('Shelter');
		const sent = await refer();
		const words = { reason: 'Housing', summary: 'Needs housing advice.' };
		expect(partners.propose(admin, row(sent.caseId), 'shelter', words)).toMatchObject({
			ok: false,
			error: 'staff.errors.agency'
		});
		expect(partners.propose(admin, row(sent.caseId), 'refuge', words)).toEqual({ ok: true });
	});
});

describe('hearings', () => {
	it('saves the person’s own court checklist, audited, with no event and nothing unknown', async () => {
		const sent = await refer();
		const { events, outbox } = trail(sent.caseId);
		expect(court.saveChecklist(row(sent.caseId), ['id', 'no-such-item'])).toBe(true);
		expect(court.forPerson(row(sent.caseId)).checklist).toEqual(['id']);
		expect(
			count(
				"select count(*) as n from audit_log where case_id = ? and action = 'court_checklist_saved' and actor_role = 'person'",
				sent.caseId
			)
		).toBe(1);
		expect(trail(sent.caseId)).toMatchObject({ events, outbox });
	});

	it('a changed hearing shows on the person’s court page and in their timeline', async () => {
		const sent = await refer();
		const worker = staffMember('supervisor', 'Jo');
		const [first, second] = court.allCourts();
		const startsAt = new Date(Date.now() + 10 * 86_400_000);
		court.recordHearing(worker, row(sent.caseId), { courtId: first!.id, startsAt, type: 'trial' });
		const hearingId = court.hearingsFor(sent.caseId)[0]!.id;
		const later = new Date(Date.now() + 40 * 86_400_000);
		expect(
			court.changeHearing(worker, row(sent.caseId), hearingId, {
				courtId: second!.id,
				startsAt: later,
				type: 'sentencing'
			})
		).toEqual({ ok: true });
		const mine = court.forPerson(row(sent.caseId));
		expect(mine.hearing).toMatchObject({
			court: second!.name,
			startsAt: later,
			type: 'sentencing'
		});
		expect(cases.forPerson(row(sent.caseId)).timeline[0]?.kind).toBe('hearing_changed');
		// A hearing on another case cannot be changed through this one.
		const other = await refer();
		expect(
			court.changeHearing(worker, row(other.caseId), hearingId, {
				courtId: first!.id,
				startsAt,
				type: 'trial'
			})
		).toMatchObject({ ok: false });
	});

	it('refuses a change over one made since the form was opened, and tells the person nothing', async () => {
		const sent = await refer();
		const worker = staffMember('supervisor', 'Jo');
		const [first, second] = court.allCourts();
		const startsAt = new Date(Date.now() + 10 * 86_400_000);
		court.recordHearing(worker, row(sent.caseId), { courtId: first!.id, startsAt, type: 'trial' });
		const [opened] = court.hearingsFor(sent.caseId);
		const was = court.hearingVersion(opened!);
		// A colleague moves the trial to the second court while the form is open elsewhere.
		const moved = { courtId: second!.id, startsAt, type: 'trial' as const };
		expect(court.changeHearing(worker, row(sent.caseId), opened!.id, moved, was)).toEqual({
			ok: true
		});
		const { events, outbox } = trail(sent.caseId);
		// The same change sent twice is made already: the person is not told it again.
		expect(court.changeHearing(worker, row(sent.caseId), opened!.id, moved, was)).toEqual({
			ok: true
		});
		expect(trail(sent.caseId)).toMatchObject({ events, outbox });
		const later = {
			courtId: first!.id,
			startsAt: new Date(Date.now() + 20 * 86_400_000),
			type: 'trial' as const
		};
		expect(court.changeHearing(worker, row(sent.caseId), opened!.id, later, was)).toEqual({
			ok: false,
			field: 'court',
			error: 'staff.errors.hearingChangedSince'
		});
		expect(court.hearingsFor(sent.caseId)[0]).toMatchObject({ courtId: second!.id, startsAt });
		expect(trail(sent.caseId)).toMatchObject({ events, outbox });
		// Sent again with the hearing as it is now, the change is made.
		const now = court.hearingVersion(court.hearingsFor(sent.caseId)[0]!);
		expect(court.changeHearing(worker, row(sent.caseId), opened!.id, later, now)).toEqual({
			ok: true
		});
		expect(court.hearingsFor(sent.caseId)[0]).toMatchObject({ courtId: first!.id });
		// A page from before this check sends no version (read as ''): changed as before.
		expect(court.changeHearing(worker, row(sent.caseId), opened!.id, moved, '')).toEqual({
			ok: true
		});
		expect(court.hearingsFor(sent.caseId)[0]).toMatchObject({ courtId: second!.id });
	});
});

describe('audit of case views', () => {
	it('writes a row for every view, by the person who looked', async () => {
		const sent = await refer();
		const supervisor = staffMember('supervisor', 'Jo');
		const reference = row(sent.caseId).reference;
		const views = () =>
			count(
				"select count(*) as n from audit_log where action = 'case_viewed' and case_id = ?",
				sent.caseId
			);
		expect(cases.access.open(supervisor, reference).ok).toBe(true);
		expect(cases.access.open(supervisor, reference.toLowerCase()).ok).toBe(true);
		expect(views()).toBe(2);
		const audited = db.$client
			.prepare("select actor_id, actor_role from audit_log where action = 'case_viewed'")
			.all();
		expect(audited).toEqual([
			{ actor_id: supervisor.userId, actor_role: 'supervisor' },
			{ actor_id: supervisor.userId, actor_role: 'supervisor' }
		]);
	});

	it('refuses a caseworker another caseload, and writes no view', async () => {
		const sent = await refer();
		const supervisor = staffMember('supervisor', 'Jo');
		const mine = staffMember('caseworker', 'Amira');
		const other = staffMember('caseworker', 'Ben');
		cases.changes.assign(supervisor, row(sent.caseId), mine.userId);
		const reference = row(sent.caseId).reference;
		expect(cases.access.open(other, reference)).toEqual({ ok: false, reason: 'forbidden' });
		expect(cases.access.open(mine, reference).ok).toBe(true);
		expect(
			count(
				"select count(*) as n from audit_log where action = 'case_viewed' and actor_id = ?",
				other.userId
			)
		).toBe(0);
	});
});

describe('searching cases', () => {
	it('finds a reference with or without a digit, its hyphen or its case, and names', () => {
		expect(matchesSearch('yjth-y', 'YJTH-YKCY', 'Sam')).toBe(true);
		expect(matchesSearch('HYKC', 'YJTH-YKCY', 'Sam')).toBe(true);
		expect(matchesSearch('ACDE', 'YJTH-YKCY', 'Sam')).toBe(false);
		expect(matchesSearch('sa', 'YJTH-YKCY', 'Sam')).toBe(true);
		expect(matchesSearch('  ', 'YJTH-YKCY', 'Sam')).toBe(true);
	});
});

describe('the case list', () => {
	it('orders by priority then age, scopes caseworkers to their caseload, and searches names', async () => {
		const standard = await refer();
		const urgent = await refer({ 'safe-now': { safeNow: 'danger' } });
		const supervisor = staffMember('supervisor', 'Jo');
		const worker = staffMember('caseworker', 'Amira');
		cases.changes.assign(supervisor, row(standard.caseId), worker.userId);

		const all = cases.queue.list(supervisor, { status: 'open' });
		expect(all.rows.map((r) => r.reference)).toEqual([urgent.reference, standard.reference]);
		expect(cases.queue.list(worker, { status: 'open' }).rows.map((r) => r.reference)).toEqual([
			standard.reference
		]);
		expect(cases.queue.list(supervisor, { status: 'triage' }).rows.map((r) => r.reference)).toEqual(
			[urgent.reference]
		);
		// Whole names, through the blind index: a part of one finds nothing.
		expect(cases.queue.list(supervisor, { q: 'Agnieszka' }).total).toBe(2);
		expect(cases.queue.list(supervisor, { q: 'agniesz' }).total).toBe(0);
		expect(cases.queue.list(supervisor, { q: 'nobody' }).total).toBe(0);
		expect(
			cases.queue.list(supervisor, { q: urgent.reference.slice(0, 6).toLowerCase() }).rows[0]
				?.reference
		).toBe(urgent.reference);
		// A whole reference, with or without its hyphen; and a part from its middle.
		for (const q of [
			urgent.reference,
			urgent.reference.replace('-', ' '),
			urgent.reference.slice(3, 7)
		]) {
			expect(cases.queue.list(supervisor, { q }).rows.map((r) => r.reference)).toContain(
				urgent.reference
			);
		}
		expect(cases.queue.list(supervisor, { caseworker: 'none' }).total).toBe(1);
		expect(cases.queue.list(supervisor, { need: 'housing' }).total).toBe(0);
		expect(cases.queue.list(supervisor, { need: 'emotional' }).total).toBe(2);
	});

	it('shows supervisors each caseload, the unassigned and the overdue', async () => {
		const sent = await refer();
		const supervisor = staffMember('supervisor', 'Jo');
		const worker = staffMember('caseworker', 'Amira');
		cases.changes.assign(supervisor, row(sent.caseId), worker.userId);
		await refer();
		const later = new Date(Date.now() + 10 * 86_400_000);
		const view = cases.queue.oversight(supervisor, later);
		expect(view.caseloads.find((c) => c.id === worker.userId)).toMatchObject({
			open: 1,
			overdue: 1
		});
		expect(view.unassigned.total).toBe(1);
		expect(view.overdue.total).toBe(2);
		expect(view.overdue.rows.map((r) => r.reference)).toEqual(
			cases.queue.list(supervisor, {}).rows.map((r) => r.reference)
		);
		// The home shows these rows as the queue does: names opened, the named contact by email.
		expect(view.overdue.rows.map((r) => r.caseworker).sort()).toEqual(['', 'amira@onedoor.test']);
		expect(view.overdue.rows.every((r) => r.name.length > 0)).toBe(true);
	});
});

describe('audit of case changes', () => {
	/** The audit log refuses every write, as a full disk or a broken table would. */
	const breakAudit = () =>
		db.$client.exec(
			"create trigger audit_down before insert on audit_log begin select raise(abort, 'audit down'); end"
		);
	const events = (caseId: string) =>
		count('select count(*) as n from case_events where case_id = ?', caseId);

	it('writes each change and its audit row together, or neither', async () => {
		const sent = await refer();
		const supervisor = staffMember('supervisor', 'Jo');
		const worker = staffMember('caseworker', 'Amira');
		const [first] = court.allCourts();
		const startsAt = new Date(Date.now() + 10 * 86_400_000);
		const before = row(sent.caseId);
		const eventsBefore = events(sent.caseId);
		const trailBefore = trail(sent.caseId);
		breakAudit();

		const changes: [string, () => unknown][] = [
			['assign', () => cases.changes.assign(supervisor, row(sent.caseId), worker.userId)],
			['setStatus', () => cases.changes.setStatus(supervisor, row(sent.caseId), 'in_triage')],
			['addNote', () => cases.changes.addNote(supervisor, row(sent.caseId), 'Call after 6pm.')],
			['updateNeeds', () => cases.changes.updateNeeds(supervisor, row(sent.caseId), [], 'high')],
			['recordDash', () => cases.changes.recordDash(supervisor, row(sent.caseId), ['q1'])],
			[
				'recordFirstContact',
				() => cases.changes.recordFirstContact(supervisor, row(sent.caseId), 'phone')
			],
			[
				'recordHearing',
				() =>
					court.recordHearing(supervisor, row(sent.caseId), {
						courtId: first!.id,
						startsAt,
						type: 'trial'
					})
			],
			['court.request', () => court.request(before, 'visit', { dates: 'Monday' })],
			[
				'partners.propose',
				() => partners.propose(supervisor, row(sent.caseId), 'galop', { reason: 'x', summary: 'y' })
			],
			['messages.send', () => messages.send(sent.caseId, 'staff', supervisor.userId, 'Hello')],
			['close', () => cases.changes.close(supervisor, row(sent.caseId), 'support_completed')]
		];
		for (const [name, change] of changes) {
			expect(change, name).toThrow(/audit down/);
		}
		// Nothing the changes made survived without its audit row.
		const after = row(sent.caseId);
		expect(after).toEqual(before);
		expect(events(sent.caseId)).toBe(eventsBefore);
		// Nor did the notices they queued: the person is never told of a change that was not kept.
		expect(trail(sent.caseId)).toEqual(trailBefore);
		expect(count('select count(*) as n from messages where case_id = ?', sent.caseId)).toBe(0);
		expect(
			count('select count(*) as n from partner_referrals where case_id = ?', sent.caseId)
		).toBe(0);
		expect(count('select count(*) as n from court_hearings where case_id = ?', sent.caseId)).toBe(
			0
		);
		expect(count('select count(*) as n from court_requests where case_id = ?', sent.caseId)).toBe(
			0
		);
	});
});

describe('the one way to change a case', () => {
	const closed = { ok: false, field: 'form', error: 'staff.errors.closed' };

	it('refuses a change to a case closed after the caller loaded it, and writes nothing', async () => {
		const sent = await refer();
		const supervisor = staffMember('supervisor', 'Jo');
		const worker = staffMember('caseworker', 'Amira');
		const [first] = court.allCourts();
		// What the case page loaded; another request closes the case before the form is posted.
		const loaded = row(sent.caseId);
		expect(cases.changes.close(supervisor, row(sent.caseId), 'other')).toEqual({ ok: true });
		const closedRow = row(sent.caseId);
		const written = trail(sent.caseId);

		expect(cases.changes.addNote(supervisor, loaded, 'late note')).toEqual(closed);
		expect(cases.changes.assign(supervisor, loaded, worker.userId)).toEqual(closed);
		expect(cases.changes.setStatus(supervisor, loaded, 'support')).toEqual(closed);
		expect(cases.changes.updateNeeds(supervisor, loaded, ['housing'], 'high')).toEqual(closed);
		expect(cases.changes.recordDash(supervisor, loaded, ['q1'])).toEqual(closed);
		expect(cases.changes.recordFirstContact(supervisor, loaded, 'phone')).toEqual(closed);
		expect(partners.propose(supervisor, loaded, 'galop', { reason: 'x', summary: 'y' })).toEqual(
			closed
		);
		expect(
			court.recordHearing(supervisor, loaded, {
				courtId: first!.id,
				startsAt: new Date(Date.now() + 86_400_000),
				type: 'trial'
			})
		).toEqual(closed);
		expect(court.saveChecklist(loaded, ['id'])).toBe(false);

		expect(row(sent.caseId)).toEqual(closedRow);
		expect(trail(sent.caseId)).toEqual(written);
		expect(
			count('select count(*) as n from partner_referrals where case_id = ?', sent.caseId)
		).toBe(0);
		expect(count('select count(*) as n from court_hearings where case_id = ?', sent.caseId)).toBe(
			0
		);
	});

	it('holds the write lock from its first read, so no other writer gets between check and write', async () => {
		const sent = await refer();
		const supervisor = staffMember('supervisor', 'Jo');
		// Another request, on its own connection, tries to close the case mid-change; it does not
		// wait (busy_timeout 0), so it either writes at once or is told the database is busy.
		const other = new Database(path);
		other.pragma('busy_timeout = 0');
		let otherClose = 'not tried';
		const changed = cases.changeCase(supervisor, sent.caseId, () => {
			try {
				other.prepare("update cases set status = 'closed' where id = ?").run(sent.caseId);
				otherClose = 'written';
			} catch (error) {
				otherClose = (error as { code?: string }).code ?? String(error);
			}
			return { audit: 'note_added', event: { kind: 'note', visible: false } };
		});
		other.close();

		expect(otherClose).toBe('SQLITE_BUSY');
		expect(changed).toEqual({ ok: true });
		expect(row(sent.caseId).status).not.toBe('closed');
	});

	it('keeps nothing of a change that throws or refuses after it began writing', async () => {
		const sent = await refer();
		const supervisor = staffMember('supervisor', 'Jo');
		const before = row(sent.caseId);
		const written = trail(sent.caseId);
		expect(() =>
			cases.changeCase(supervisor, sent.caseId, (tx, now) => {
				tx.update(casesTable)
					.set({ riskLevel: 'high', needs: ['housing'] })
					.where(eq(casesTable.id, now.id))
					.run();
				throw new Error('part-way');
			})
		).toThrow('part-way');
		expect(
			cases.changeCase(supervisor, sent.caseId, (tx, now) => {
				tx.update(casesTable)
					.set({ riskLevel: 'high', needs: ['housing'] })
					.where(eq(casesTable.id, now.id))
					.run();
				return cases.refuse('form', 'notChanged');
			})
		).toEqual({ ok: false, field: 'form', error: 'staff.errors.notChanged' });

		expect(row(sent.caseId)).toEqual(before);
		expect(trail(sent.caseId)).toEqual(written);
	});
});
