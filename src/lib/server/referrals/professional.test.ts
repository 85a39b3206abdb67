import { beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { env } from '$env/dynamic/private';
import { open } from '$lib/server/crypto';
import { outbox } from '$lib/server/db/schema';
import { freshDatabase } from '$lib/server/db/testing';
import { readValid } from '$lib/server/forms';
import * as cases from '$lib/server/cases';
import * as exports from '$lib/server/lifecycle/export';
import * as referrals from '$lib/server/referrals';
import {
	formData,
	saveSteps,
	staffMember,
	testCipher,
	validSteps
} from '$lib/server/testing/fixtures';
import * as professional from './professional';

let db: ReturnType<typeof freshDatabase>['db'];
beforeEach(() => {
	({ db } = freshDatabase());
	testCipher();
});

/** A complete, valid professional referral as the browser posts it; overrides replace fields. */
function valid(overrides: Record<string, string | string[]> = {}) {
	return {
		agreed: 'yes',
		formToken: 'token-' + Math.random().toString(36).slice(2).padEnd(12, 'x'),
		referrerName: 'PC Sam Reid',
		organisation: 'Metropolitan Police',
		referrerKind: 'police',
		referrerRole: 'Officer in the case',
		workEmail: 'sam.reid@police.example',
		workPhone: '',
		name: 'Ana Popescu',
		age: 'adult',
		relationship: 'victim',
		channels: ['email'],
		phone: '',
		email: 'ana@example.com',
		voicemail: '',
		sayWhoWeAre: 'no',
		safeTimes: '',
		language: 'ro',
		interpreter: 'yes',
		accessNeeds: '',
		safeNow: 'safe',
		childAtRisk: 'no',
		crimeType: 'burglary',
		when: 'week',
		date: '',
		police: 'reported',
		crimeReference: 'CAD1234/26',
		account: 'Her flat was broken into while she was at work.',
		needs: ['practical'],
		...overrides
	};
}

/** Posts the form through the helper the page's action uses: its refusal, or what was sent. */
async function post(fields: Record<string, string | string[]>) {
	const request = new Request('http://localhost/refer/professional/form', {
		method: 'POST',
		body: formData(fields)
	});
	const sent = await readValid(request, professional.professionalForm);
	if (!sent.ok) return { refused: sent.failure.data.errors };
	return { result: professional.submit(sent.output) };
}

/** The reference notices queued for a case, as the worker will send them. */
const notices = (caseId: string) =>
	db
		.select()
		.from(outbox)
		.where(and(eq(outbox.kind, professional.referredNotice), eq(outbox.caseId, caseId)))
		.all()
		.map((row) => row.payload!);

const rows = (sql: string, ...params: unknown[]) =>
	db.$client.prepare(sql).all(...params) as Record<string, unknown>[];

describe('the professional referral form', () => {
	it('refuses an adult who did not agree, and stores nothing', async () => {
		const { result } = await post(valid({ agreed: 'no', age: 'adult' }));
		expect(result).toEqual({ ok: false, reason: 'notAgreed' });
		expect(rows("select id from referrals where draft_id like 'professional:%'")).toEqual([]);
		expect(rows("select id from users where role = 'person'")).toEqual([]);
		expect(rows('select id from outbox')).toEqual([]);
	});

	it('takes a referral without agreement when a child is at risk, as urgent', async () => {
		const { result } = await post(
			valid({ agreed: 'child_at_risk', childAtRisk: 'no', age: 'under18' })
		);
		expect(result?.ok).toBe(true);
		if (!result?.ok) return;
		expect(result.urgent).toBe(true);
		const [referral] = rows(
			'select r.person_agreed, r.answers, c.priority, c.priority_reasons from referrals r join cases c on c.referral_id = r.id where c.id = ?',
			result.caseId
		);
		expect(referral?.person_agreed).toBe('child_at_risk');
		expect(referral?.priority).toBe(3);
		expect(JSON.parse(referral?.priority_reasons as string)).toContain('child_at_risk');
		expect(JSON.parse(referral?.answers as string)).toMatchObject({
			childAtRisk: 'yes',
			age: 'under18'
		});
		// They did not agree, so no one asked them what is safe: nothing is sent to them
		// automatically, not even to the email the professional gave; the named contact decides.
		expect(notices(result.caseId)).toEqual([]);
	});

	it('needs at least one way to reach the professional at work', async () => {
		const { refused } = await post(valid({ workEmail: '', workPhone: '' }));
		expect(refused).toEqual({ workEmail: 'refer.professional.errors.workContact' });
		const byPhone = await post(valid({ workEmail: '', workPhone: '020 7946 0123' }));
		expect(byPhone.result?.ok).toBe(true);
	});

	it('refuses a safe route with nothing to reach the person by', async () => {
		const { refused } = await post(valid({ channels: ['phone'], phone: '', email: '' }));
		expect(refused).toMatchObject({ phone: 'refer.professional.errors.phone' });
		const noRoute = await post(valid({ channels: [] }));
		expect(noRoute.refused).toMatchObject({ channels: 'refer.professional.errors.channels' });
		const portal = await post(valid({ channels: ['portal'] }));
		expect(portal.refused).toMatchObject({ channels: 'refer.professional.errors.channels' });
	});
});

describe('sending a professional referral', () => {
	it('writes the person without a passphrase, the referral and the case with their source', async () => {
		const { result } = await post(valid());
		expect(result?.ok).toBe(true);
		if (!result?.ok) return;
		const [row] = rows(
			`select c.source as case_source, c.referrer_kind as case_kind, c.consent_share,
				r.source, r.referrer_kind, r.referrer_sealed, r.person_agreed, r.relationship,
				u.secret_hash, u.role
			from cases c join referrals r on r.id = c.referral_id join users u on u.id = c.person_id
			where c.id = ?`,
			result.caseId
		);
		expect(row).toMatchObject({
			case_source: 'professional',
			case_kind: 'police',
			source: 'professional',
			referrer_kind: 'police',
			person_agreed: 'yes',
			relationship: 'victim',
			secret_hash: null,
			role: 'person',
			// The professional cannot agree to sharing for the person.
			consent_share: 0
		});
		// The referrer is sealed at rest, and opens to who they are.
		expect(String(row?.referrer_sealed)).not.toContain('Sam Reid');
		expect(JSON.parse(open(row?.referrer_sealed as string)!)).toEqual({
			name: 'PC Sam Reid',
			organisation: 'Metropolitan Police',
			role: 'Officer in the case',
			workEmail: 'sam.reid@police.example',
			workPhone: null
		});
	});

	it('sends the same form twice as one case', async () => {
		const fields = valid();
		const first = await post(fields);
		const second = await post(fields);
		expect(first.result?.ok && second.result?.ok).toBe(true);
		if (!first.result?.ok || !second.result?.ok) return;
		expect(second.result.reference).toBe(first.result.reference);
		expect(rows('select id from cases where id = ?', first.result.caseId)).toHaveLength(1);
		expect(
			rows(
				"select id from outbox where kind = 'referred_notice' and case_id = ?",
				first.result.caseId
			)
		).toHaveLength(1);
	});

	it('gives the person their reference by safe email, in their language, with no crime detail', async () => {
		const { result } = await post(valid());
		if (!result?.ok) throw new Error('not sent');
		const queued = notices(result.caseId);
		expect(queued).toHaveLength(1);
		const message = queued[0]!;
		expect(message.channel).toBe('email');
		expect(message.to).toBe('ana@example.com');
		expect(message.text).toContain(result.reference);
		// Romanian: the link is to the Romanian page that emails a link to choose a passphrase.
		expect(message.text).toContain('/ro/sign-in/email');
		for (const detail of ['burglary', 'Burglary', 'broken', 'Police', 'Sam', 'CAD1234']) {
			expect(message.text).not.toContain(detail);
			expect(message.subject).not.toContain(detail);
		}
	});

	it('sends nothing to an email the person did not mark safe', async () => {
		const { result } = await post(
			valid({
				channels: ['phone'],
				phone: '07700 900 982',
				voicemail: 'no',
				email: 'ana@example.com'
			})
		);
		if (!result?.ok) throw new Error('not sent');
		expect(notices(result.caseId)).toEqual([]);
	});

	it('texts the reference when texts are safe and email is not', async () => {
		// GOV.UK Notify set up (sms.ts reads these two; nothing is sent from this test).
		env.NOTIFY_API_KEY = 'test';
		env.NOTIFY_SMS_TEMPLATE_ID = 'test';
		try {
			const { result } = await post(
				valid({ channels: ['text'], phone: '07700 900 982', email: '', language: 'pl' })
			);
			if (!result?.ok) throw new Error('not sent');
			const [message] = notices(result.caseId);
			expect(message).toMatchObject({ channel: 'text', to: '07700 900 982' });
			expect(message?.text).toContain(result.reference);
			expect(message?.text).toContain('/pl/sign-in/reset');
			const supervisor = staffMember('supervisor', 'Tex');
			const opened = cases.access.open(supervisor, result.reference);
			if (!opened.ok) throw new Error('not found');
			expect(cases.record.details(opened.row).passphraseRoute).toBe('text');
		} finally {
			delete env.NOTIFY_API_KEY;
			delete env.NOTIFY_SMS_TEMPLATE_ID;
		}
	});

	it('queues no text when texts are not set up, and the console says to phone instead', async () => {
		// Without GOV.UK Notify nothing can be texted: the console must not say "we texted".
		const { result } = await post(
			valid({ channels: ['text'], phone: '07700 900 982', email: '', language: 'pl' })
		);
		if (!result?.ok) throw new Error('not sent');
		expect(notices(result.caseId)).toEqual([]);
		const supervisor = staffMember('supervisor', 'Nox');
		const opened = cases.access.open(supervisor, result.reference);
		if (!opened.ok) throw new Error('not found');
		expect(cases.record.details(opened.row).passphraseRoute).toBe('phone');
	});
});

describe('a professional referral in the console', () => {
	/** Opens a case through the professional form; its reference. */
	async function referred(overrides: Record<string, string | string[]> = {}) {
		const { result } = await post(valid(overrides));
		if (!result?.ok) throw new Error('not sent');
		return result.reference;
	}

	it('is found by the queue’s source filter, and each row says who referred', async () => {
		const supervisor = staffMember('supervisor', 'Sue');
		const police = await referred({ referrerKind: 'police' });
		const school = await referred({ referrerKind: 'school' });
		const self = await referrals.submit(await saveSteps(validSteps()));
		const family = await referrals.submit(
			await saveSteps(
				validSteps({
					who: { who: 'family' },
					'about-them': { name: 'Ola', contact: '', knows: 'yes' }
				})
			)
		);
		if (!self.ok || !family.ok) throw new Error('not sent');
		const shown = (source: string) =>
			cases.queue.list(supervisor, { status: 'open', source }).rows.map((row) => row.reference);
		expect(shown('professional:police')).toEqual([police]);
		expect(shown('professional').sort()).toEqual([police, school].sort());
		expect(shown('self')).toEqual([self.reference]);
		expect(shown('family')).toEqual([family.reference]);
		// An edited address filters nothing rather than everything.
		expect(shown('professional:nobody').sort()).toEqual([police, school].sort());
		const row = cases.queue
			.list(supervisor, { status: 'open' })
			.rows.find((r) => r.reference === police);
		expect(row).toMatchObject({ source: 'professional', referrerKind: 'police' });
	});

	it('shows the referrer and how the person gets a passphrase on the case, and exports them', async () => {
		const supervisor = staffMember('supervisor', 'Sue');
		const byEmail = await referred();
		const byPhone = await referred({
			channels: ['phone'],
			phone: '07700 900 982',
			voicemail: 'no',
			email: ''
		});
		const opened = cases.access.open(supervisor, byEmail);
		if (!opened.ok) throw new Error('not found');
		const details = cases.record.details(opened.row);
		expect(details.referrer).toMatchObject({
			name: 'PC Sam Reid',
			organisation: 'Metropolitan Police',
			workEmail: 'sam.reid@police.example'
		});
		expect(details.personAgreed).toBe('yes');
		expect(details.passphraseRoute).toBe('email');
		const phoned = cases.access.open(supervisor, byPhone);
		if (!phoned.ok) throw new Error('not found');
		expect(cases.record.details(phoned.row).passphraseRoute).toBe('phone');

		const produced = exports.gather(opened.row, false);
		expect(produced.facts).toContainEqual({
			label: 'Referred by',
			value: 'Professional (police)'
		});
		expect(produced.facts).toContainEqual({
			label: 'Professional who referred',
			value: 'PC Sam Reid, Officer in the case, Metropolitan Police'
		});
	});

	it('forgets who referred when the case is erased, and keeps the kind for reports', async () => {
		const supervisor = staffMember('supervisor', 'Sue');
		const reference = await referred();
		const opened = cases.access.open(supervisor, reference);
		if (!opened.ok) throw new Error('not found');
		const erased = cases.lifecycle.erase(supervisor, opened.row, 'Asked to be forgotten', 'other');
		expect(erased.ok).toBe(true);
		const [row] = rows(
			'select r.referrer_sealed, r.referrer_kind, c.source from referrals r join cases c on c.referral_id = r.id where c.reference = ?',
			reference
		);
		expect(row).toEqual({ referrer_sealed: null, referrer_kind: 'police', source: 'professional' });
	});
});
