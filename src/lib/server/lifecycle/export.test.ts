import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import * as cases from '$lib/server/cases';
import type { CaseRow } from '$lib/server/cases/access';
import * as court from '$lib/server/court';
import { auditLog, cases as casesTable } from '$lib/server/db/schema';
import { freshDatabase } from '$lib/server/db/testing';
import * as messages from '$lib/server/messages';
import * as partners from '$lib/server/partners';
import * as partnerConversation from '$lib/server/partners/conversation';
import * as work from '$lib/server/partners/work';
import * as referrals from '$lib/server/referrals';
import { saveSteps, staffMember, testCipher, validSteps } from '$lib/server/testing/fixtures';
import { partnerWorker } from '$lib/server/testing/partners';
import * as exports from './export';

let db: ReturnType<typeof freshDatabase>['db'];
beforeEach(() => {
	({ db } = freshDatabase());
	testCipher();
});

const row = (id: string): CaseRow =>
	db.select().from(casesTable).where(eq(casesTable.id, id)).get()!;

async function refer(overrides: Record<string, Record<string, string | string[]>>) {
	const sent = await referrals.submit(await saveSteps(validSteps(overrides)));
	if (!sent.ok) throw new Error('referral incomplete');
	return row(sent.caseId);
}

const ok = { ok: true };

/** Two cases: the first with every kind of record, the second with its own, all different. */
async function twoCases() {
	const supervisor = staffMember('supervisor', 'Jo');
	const worker = staffMember('caseworker', 'Amira');
	const first = await refer({
		account: { account: 'They broke the back door on Tuesday night.' },
		contact: { name: 'Agnieszka', phone: '07700 900982', email: 'agnieszka@example.org' }
	});
	const second = await refer({
		account: { account: 'Someone keeps following me home from the station.' },
		contact: { name: 'Bartholomew', phone: '07700 900123', email: 'bart@example.org' }
	});
	expect(cases.changes.assign(supervisor, first, worker.userId)).toEqual(ok);
	expect(cases.changes.recordFirstContact(worker, row(first.id), 'phone')).toEqual(ok);
	expect(cases.changes.addNote(worker, first, 'Partner was in the room; call back.')).toEqual(ok);
	expect(cases.changes.updateNeeds(worker, first, ['housing'], 'high')).toMatchObject(ok);
	expect(cases.changes.recordDash(worker, first, ['q1', 'q2'])).toMatchObject(ok);
	expect(messages.send(first.id, 'person', first.personId, 'Can we talk on Friday?').ok).toBe(true);
	expect(messages.send(first.id, 'staff', worker.userId, 'Yes, Friday at ten.').ok).toBe(true);
	const agency = partners.agencies()[0]!;
	expect(
		partners.propose(worker, first, agency.id, {
			reason: 'Needs a safe place to stay.',
			summary: 'Needs somewhere safe to live.'
		})
	).toEqual(ok);
	const [proposal] = partners.forCase(first.id);
	expect(partners.answer({ userId: first.personId }, first, proposal!.id, 'yes')).toEqual(ok);
	// The agency takes it on, the two sides talk about it, and the agency closes it.
	const sam = await partnerWorker(agency.id, 'Sam');
	const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);
	expect(work.accept(sam, proposal!.id, 'Sam')).toEqual(ok);
	const talk = (side: 'staff' | 'partner', text: string, at: Date) =>
		partnerConversation.send(
			side,
			side === 'staff' ? worker : sam,
			first.id,
			proposal!.id,
			text,
			at
		);
	expect(talk('staff', 'Can you see her this week?', minutesAgo(3))).toEqual(ok);
	expect(talk('partner', 'Yes, on Thursday at our office.', minutesAgo(2))).toEqual(ok);
	expect(
		work.close(sam, proposal!.id, 'supported', 'We met twice; she has a tenancy now.')
	).toEqual(ok);
	expect(
		partners.shareWithoutConsent(
			worker,
			first,
			{ agencyId: 'galop', summary: 'A child in the home is at risk.' },
			'child_at_risk',
			'Her son said he is hit at home.'
		)
	).toEqual(ok);
	// Galop takes on the referral shared without consent, and the two sides talk about it.
	const overrideId = partners.forCase(first.id).find((r) => r.agencyId === 'galop')!.id;
	const kit = await partnerWorker('galop', 'Kit');
	expect(work.openReferral(kit, overrideId)).toMatchObject(ok);
	expect(work.accept(kit, overrideId, 'Kit at Galop')).toEqual(ok);
	expect(
		partnerConversation.send('partner', kit, first.id, overrideId, 'Social care visited today.')
	).toEqual(ok);
	expect(cases.lifecycle.setLegalHold(supervisor, first, 'Police request 12/345')).toEqual(ok);
	const inAMonth = new Date(Date.now() + 30 * 86_400_000);
	expect(
		court.recordHearing(worker, first, {
			courtId: 'central-criminal-court',
			startsAt: inAMonth,
			type: 'trial'
		})
	).toEqual(ok);
	expect(
		court.request(first, 'visit', { dates: 'Monday mornings', access: '', who: 'My sister' })
	).toBe(true);
	expect(court.saveChecklist(first, ['letter'])).toBe(true);
	expect(cases.access.open(worker, first.reference).ok).toBe(true);

	expect(cases.changes.addNote(supervisor, second, 'Second case internal remark.')).toEqual(ok);
	expect(
		partners.propose(supervisor, second, agency.id, {
			reason: 'Second case reason.',
			summary: 'Second case summary.'
		})
	).toEqual(ok);
	const [secondReferral] = partners.forCase(second.id);
	expect(
		partners.recordConsent(supervisor, second, secondReferral!.id, 'Said yes on the phone.')
	).toEqual(ok);
	expect(
		partnerConversation.send(
			'staff',
			supervisor,
			second.id,
			secondReferral!.id,
			'Second case agency message.'
		)
	).toEqual(ok);
	expect(
		messages.send(second.id, 'person', second.personId, 'Message from the second case.').ok
	).toBe(true);
	return { supervisor, worker, agency, first: row(first.id), second: row(second.id) };
}

describe('the subject access export', () => {
	it('holds every kind of record on the case, with the staff notes when included', async () => {
		const { supervisor, agency, first } = await twoCases();
		const { export: made } = exports.produce(supervisor, first, {
			staffNotes: 'include',
			reason: 'No exemption applies.',
			format: 'html'
		});

		const answer = (question: string) => made.answers.find((a) => a.question === question)?.answer;
		expect(answer('What happened')).toEqual(['They broke the back door on Tuesday night.']);
		expect(answer('What should we call you? (optional)')).toEqual(['Agnieszka']);
		expect(made.answers.flatMap((a) => a.answer)).toContain('07700 900982');
		expect(made.answers.flatMap((a) => a.answer)).toContain('Polski');
		expect(made.facts).toContainEqual({ label: 'Named contact', value: 'Amira (caseworker)' });
		expect(made.timeline.map((e) => e.text)).toContain('First contact made by phone call.');
		expect(made.messages.map((m) => [m.from, m.text])).toEqual([
			['You', 'Can we talk on Friday?'],
			['Amira', 'Yes, Friday at ten.']
		]);
		expect(made.partnerReferrals).toMatchObject([
			{
				agency: agency.name,
				reason: 'Needs a safe place to stay.',
				status: 'Closed',
				sentAt: expect.any(Date),
				withdrawnAt: null,
				shared: 'Needs somewhere safe to live.',
				consent: expect.stringMatching(/^You agreed in your portal on /),
				worker: 'Sam',
				outcome: 'Support given',
				conversation: [
					{ from: 'Amira', text: 'Can you see her this week?' },
					{ from: `Sam, ${agency.name}`, text: 'Yes, on Thursday at our office.' },
					{ from: `Sam, ${agency.name}`, text: 'We met twice; she has a tenancy now.' }
				]
			},
			{
				agency: 'Galop',
				shared: 'A child in the home is at risk.',
				worker: 'Kit at Galop',
				conversation: [{ from: 'Kit, Galop', text: 'Social care visited today.' }],
				consent: expect.stringMatching(
					/^Shared without your consent on .*Legal basis: Child at risk\. Reason: Her son said he is hit at home\.$/
				)
			}
		]);
		expect(made.timeline.map((e) => e.text).join(' ')).toContain('Police request 12/345');
		expect(made.access.map((entry) => entry.role)).toContain('partner worker');
		expect(made.hearings).toMatchObject([{ kind: 'Trial', court: 'Central Criminal Court' }]);
		expect(made.courtRequests[0]?.details).toContainEqual({
			label: 'Days they could go',
			value: 'Monday mornings'
		});
		expect(made.courtChecklist).toHaveLength(1);
		expect(made.access).toContainEqual(
			expect.objectContaining({ who: 'amira@onedoor.test', what: 'Viewed the case' })
		);
		// The export's own production is in the list of who has seen the record.
		expect(made.access.at(-1)).toMatchObject({
			who: 'jo@onedoor.test',
			what: "Person's data exported"
		});
		expect(made.staffNotes).toBe('included');
		expect(made.assessment?.notes.map((n) => n.text)).toEqual([
			'Partner was in the room; call back.'
		]);
		expect(made.assessment?.facts).toContainEqual({ label: 'Risk level', value: 'High' });
		expect(made.assessment?.dashYes).toHaveLength(2);
	});

	it('leaves out notes, DASH and risk when withheld, and nothing of another case is in it', async () => {
		const { supervisor, first, second } = await twoCases();
		const { export: made } = exports.produce(supervisor, first, {
			staffNotes: 'withhold',
			reason: 'Disclosure could put the person at risk.',
			format: 'json'
		});
		const text = exports.asJson(made);

		expect(made.staffNotes).toBe('withheld');
		expect(made.assessment).toBeNull();
		expect(text).not.toContain('Partner was in the room');
		expect(text).not.toContain('Her son said he is hit');
		// Shared without consent: the agency and the ground are given, what was sent is not.
		expect(text).toContain('Legal basis: Child at risk.');
		expect(text).not.toContain('A child in the home is at risk.');
		expect(made.partnerReferrals.find((r) => r.consent.includes('Child at risk'))).toMatchObject({
			agency: 'Galop',
			shared: '',
			reason: '',
			conversation: []
		});
		// Nor does a legal hold's reason (a police request), nor an agency worker's reads.
		expect(text).not.toContain('Police request 12/345');
		expect(made.access.map((entry) => entry.role)).not.toContain('partner worker');
		expect(text).not.toContain('Risk level: High');
		expect(text).not.toContain('DASH');
		// That the record was changed stays in the list of who saw it; what the change was does not.
		expect(made.access).toContainEqual(
			expect.objectContaining({ who: 'amira@onedoor.test', what: 'Changed the record' })
		);
		// The person's own account and messages are still there, and what was said about them
		// with the agency they agreed to.
		expect(text).toContain('They broke the back door on Tuesday night.');
		expect(text).toContain('Can we talk on Friday?');
		expect(text).toContain('Yes, on Thursday at our office.');
		expect(text).toContain('Support given');

		for (const ofTheOther of [
			second.reference,
			'Bartholomew',
			'bart@example.org',
			'07700 900123',
			'Someone keeps following me home',
			'Message from the second case.',
			'Second case internal remark.',
			'Second case summary.',
			'Second case agency message.'
		]) {
			expect(text).not.toContain(ofTheOther);
		}
		const again = exports.asJson(exports.gather(first, true, made.producedAt));
		expect(again).not.toContain('Second case internal remark.');
		expect(again).not.toContain(second.reference);
	});

	it('comes from the case as it is when produced, not from a copy read before retention ran', async () => {
		const { supervisor, first } = await twoCases();
		// The page read the case; then, while the form's body was arriving, the sweeper ran.
		const stale = row(first.id);
		expect(cases.lifecycle.liftLegalHold(supervisor, stale, 'Police done')).toEqual({ ok: true });
		expect(cases.changes.close(supervisor, stale, 'other', true)).toEqual({ ok: true });
		expect(cases.lifecycle.anonymise(stale.id, new Date(Date.now() + 1000))).toEqual({
			ok: true
		});
		const { export: made } = exports.produce(supervisor, stale, {
			staffNotes: 'include',
			reason: 'No exemption applies.',
			format: 'json'
		});
		expect(made.assessment?.dashYes).toEqual([]);
		expect(made.courtChecklist).toEqual([]);
		expect(made.facts).toContainEqual(expect.objectContaining({ value: 'Closed' }));
	});

	it('records the decision and its reason, without personal data, before producing', async () => {
		const { supervisor, first } = await twoCases();
		const { decisionId } = exports.produce(supervisor, first, {
			staffNotes: 'withhold',
			reason: 'Disclosure could put the person at risk.',
			format: 'json'
		});
		const entry = db.select().from(auditLog).where(eq(auditLog.id, decisionId)).get()!;
		expect(entry).toMatchObject({
			action: 'data_exported',
			caseId: first.id,
			actorId: supervisor.userId,
			actorRole: 'supervisor'
		});
		expect(JSON.parse(entry.detail!)).toEqual({
			staffNotes: 'withheld',
			reason: 'Disclosure could put the person at risk.',
			format: 'json'
		});
		expect(entry.detail).not.toContain('Agnieszka');
	});

	it('lets the JSON file be fetched only under its own recent decision, by who made it', async () => {
		const { supervisor, worker, first, second } = await twoCases();
		const json = exports.produce(supervisor, first, {
			staffNotes: 'include',
			reason: 'No exemption applies.',
			format: 'json'
		});
		const html = exports.produce(supervisor, first, {
			staffNotes: 'include',
			reason: 'No exemption applies.',
			format: 'html'
		});
		const now = new Date();
		expect(exports.decisionFor(supervisor, first, json.decisionId, now)).toEqual({ include: true });
		// Another case, another person, a page export, a made-up id, or too late: nothing.
		expect(exports.decisionFor(supervisor, second, json.decisionId, now)).toBeNull();
		expect(exports.decisionFor(worker, first, json.decisionId, now)).toBeNull();
		expect(exports.decisionFor(supervisor, first, html.decisionId, now)).toBeNull();
		expect(exports.decisionFor(supervisor, first, 999_999, now)).toBeNull();
		const later = new Date(now.getTime() + exports.downloadWindowMs + 1000);
		expect(exports.decisionFor(supervisor, first, json.decisionId, later)).toBeNull();
	});

	it('records every copy of the JSON file fetched under a decision, and nothing for a refused one', async () => {
		const { supervisor, worker, first } = await twoCases();
		const { decisionId } = exports.produce(supervisor, first, {
			staffNotes: 'withhold',
			reason: 'Disclosure of the notes could put the person at risk.',
			format: 'json'
		});
		const downloads = () =>
			db
				.select()
				.from(auditLog)
				.where(eq(auditLog.action, 'data_export_downloaded'))
				.all()
				.map((entry) => [entry.actorId, entry.caseId, entry.detail]);
		const made = exports.download(supervisor, first, decisionId);
		expect(made?.reference).toBe(first.reference);
		expect(exports.download(supervisor, first, decisionId)?.reference).toBe(first.reference);
		// Another worker, or a made-up decision: refused, and nothing written.
		expect(exports.download(worker, first, decisionId)).toBeNull();
		expect(exports.download(supervisor, first, 999_999)).toBeNull();
		const row = [supervisor.userId, first.id, JSON.stringify({ decision: decisionId })];
		expect(downloads()).toEqual([row, row]);
	});

	it('names the file by the reference and the day on London’s calendar', async () => {
		const { supervisor, first } = await twoCases();
		const made = exports.produce(supervisor, first, {
			staffNotes: 'include',
			reason: 'No exemption applies.',
			format: 'json'
		});
		// 23:30 UTC on a summer evening is already the next day in London; in winter it is not.
		const on = (at: string) => exports.fileName({ ...made.export, producedAt: new Date(at) });
		expect(on('2027-06-30T23:30:00Z')).toBe(`onedoor-${first.reference}-2027-07-01.json`);
		expect(on('2027-12-30T23:30:00Z')).toBe(`onedoor-${first.reference}-2027-12-30.json`);
	});
});
