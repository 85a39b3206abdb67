import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { steps } from '$lib/referral/steps';
import { freshDatabase } from '$lib/server/db/testing';
import * as referrals from './index';
import { formFields } from '$lib/server/forms';
import {
	cookieJar,
	postStep,
	saveSteps,
	testCipher,
	validSteps
} from '$lib/server/testing/fixtures';
import { actions as donePage } from '../../../routes/[[lang=locale]]/(public)/refer/done/+page.server';
import { isPastDate, stepSchemas } from './schemas';

const english = JSON.parse(readFileSync('src/lib/i18n/locales/en/refer.json', 'utf8'));
const translated = (key: string) =>
	key
		.split('.')
		.slice(1)
		.reduce((node, part) => node?.[part], english) !== undefined;

let db: ReturnType<typeof freshDatabase>['db'];
let path: string;
beforeEach(() => {
	({ db, path } = freshDatabase());
	testCipher();
});

/** A draft with every step answered validly, returning its token. */
const fill = (overrides = {}) => saveSteps(validSteps(overrides));

const count = (table: string) =>
	(db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

describe('submitting a referral', () => {
	it('writes one person, referral and case, a visible first event and a staff notification', async () => {
		const draftToken = await fill();
		const sent = await referrals.submit(draftToken);
		expect(sent.ok).toBe(true);
		if (!sent.ok) return;
		expect(sent.reference).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
		expect([count('users'), count('referrals'), count('cases'), count('outbox')]).toEqual([
			1, 1, 1, 1
		]);
		const row = db.$client.prepare('select * from cases').get() as Record<string, unknown>;
		expect(row.status).toBe('new');
		expect(row.language).toBe('pl');
		expect(JSON.parse(row.safe_channels as string)).toEqual(['phone', 'email']);
		expect(row).toMatchObject({
			crime_type: 'burglary',
			police_reported: 'not_reported',
			voicemail: 'no',
			say_who_we_are: 'no',
			interpreter: 1,
			consent_share: 1,
			consent_police: 0
		});
		// The referral keeps the choices as given, and none of what the case now holds.
		const referral = db.$client.prepare('select answers from referrals').get() as {
			answers: string;
		};
		const kept = JSON.parse(referral.answers);
		expect(kept).toMatchObject({
			safeNow: 'safe',
			themKnows: null,
			when: 'month',
			date: '',
			needs: ['emotional', 'practical'],
			childAtRisk: 'no'
		});
		for (const copy of ['who', 'crimeType', 'police', 'channels', 'voicemail', 'consent']) {
			expect(kept).not.toHaveProperty(copy);
		}
		const event = db.$client.prepare('select * from case_events').get() as Record<string, unknown>;
		expect(event).toMatchObject({ kind: 'referral_received', visible_to_person: 1 });
		const outbox = db.$client.prepare('select * from outbox').get() as Record<string, unknown>;
		expect(outbox).toMatchObject({ audience: 'staff', status: 'pending' });
		// The case's audit trail starts with the person who asked, like every later change.
		const opened = db.$client.prepare('select * from audit_log').all();
		expect(opened).toEqual([
			expect.objectContaining({
				action: 'case_opened',
				actor_role: 'person',
				actor_id: row.person_id,
				case_id: row.id
			})
		]);
	});

	it('makes one case however often the same draft is submitted', async () => {
		const draftToken = await fill();
		const first = await referrals.submit(draftToken);
		const second = await referrals.submit(draftToken);
		expect(second).toEqual(first);
		expect(count('cases')).toBe(1);
		expect(count('audit_log')).toBe(1);
	});

	it('keeps the account, names and contact details only encrypted in the database file', async () => {
		const account = 'Zbił szybę w drzwiach — سرقة 🏚️ <script>alert(1)</script>';
		const draftToken = await fill({
			account: { account },
			police: { police: 'reported', crimeReference: 'CAD4821/26' }
		});
		expect((await referrals.submit(draftToken)).ok).toBe(true);
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		const raw = readFileSync(path).toString('latin1') + readFileSync(path).toString('utf8');
		for (const secret of [
			'Zbił szybę',
			'سرقة',
			'Agnieszka',
			'07700 900982',
			'agnieszka@example.org',
			'CAD4821/26',
			'weekdays 10:00'
		]) {
			expect(raw, secret).not.toContain(secret);
		}
		const sealed = db.$client.prepare('select account_sealed from referrals').get() as {
			account_sealed: string;
		};
		expect(sealed.account_sealed.split('.')[1]).toBe('test');
	});

	it('raises the triage priority for danger, domestic abuse and a child at risk', async () => {
		const urgent = await fill({
			'safe-now': { safeNow: 'danger' },
			'what-happened': { crimeType: 'domestic_abuse', when: 'ongoing', date: '' }
		});
		await referrals.submit(urgent);
		const standard = await fill();
		await referrals.submit(standard);
		const rows = db.$client
			.prepare('select priority, priority_reasons from cases order by priority desc')
			.all() as { priority: number; priority_reasons: string }[];
		expect(rows.map((r) => r.priority)).toEqual([3, 1]);
		expect(JSON.parse(rows[0]!.priority_reasons)).toEqual(
			expect.arrayContaining(['immediate_danger', 'domestic_abuse'])
		);
	});

	it('refuses to send a draft with unanswered steps, naming them', async () => {
		const draftToken = await saveSteps([['safe-now', { safeNow: 'safe' }]]);
		const sent = await referrals.submit(draftToken);
		expect(sent).toMatchObject({ ok: false });
		if (!sent.ok) expect(sent.missing).toContain('passphrase');
		expect(count('cases')).toBe(0);
	});

	it('forgets the answers once sent, keeping only the way to the confirmation', async () => {
		const draftToken = await fill();
		await referrals.submit(draftToken);
		const draft = db.$client.prepare('select * from referral_drafts').get() as Record<
			string,
			unknown
		>;
		expect(draft.answers_sealed).toBeNull();
		expect(draft.passphrase_hash).toBeNull();
		expect(referrals.confirmation(draftToken)?.reference).toMatch(/-/);
	});

	it('asks about the other person only when acting for someone else', async () => {
		const draftToken = await fill({ who: { who: 'family' } });
		expect(await referrals.submit(draftToken)).toMatchObject({
			ok: false,
			missing: ['about-them']
		});
		await saveSteps([['about-them', { name: 'سارة', contact: '', knows: 'no' }]], draftToken);
		expect((await referrals.submit(draftToken)).ok).toBe(true);
	});
});

describe('the draft', () => {
	it('leaves the browser at once when the reference is written down, even while a script holds the database', async () => {
		const token = (await saveSteps(validSteps()))!;
		const sent = await referrals.submit(token);
		expect(sent.ok).toBe(true);
		const cookies = cookieJar();
		cookies.set('od_referral', token, { path: '/' });
		const headers: Record<string, string> = {};
		const forget = () => {
			try {
				void donePage.forget!({
					cookies,
					locals: { lang: 'pl' },
					setHeaders: (set: Record<string, string>) => Object.assign(headers, set)
				} as never);
			} catch (thrown) {
				return thrown;
			}
		};
		// A script holds SQLite's write lock: the page still answers, without its 5 s busy wait.
		const script = new Database(path);
		script.exec('begin immediate');
		let answer;
		try {
			answer = forget();
		} finally {
			script.exec('rollback');
			script.close();
		}
		expect(answer).toMatchObject({ status: 303, location: '/pl/refer/done' });
		expect(cookies.values.has('od_referral')).toBe(false);
		expect(headers['Clear-Site-Data']).toBe('"cache"');
		// Nothing points at the row left behind, and the page shows no reference without the cookie.
		expect(referrals.confirmation(undefined)).toBeUndefined();
		expect(referrals.drafts.find(token)?.caseId).toBe(sent.ok ? sent.caseId : undefined);

		// With the database free, the row goes too.
		cookies.set('od_referral', token, { path: '/' });
		expect(forget()).toMatchObject({ status: 303 });
		expect(referrals.drafts.find(token)).toBeUndefined();
	});

	it('is gone after an hour without use', async () => {
		const draftToken = await saveSteps([['safe-now', { safeNow: 'safe' }]]);
		expect(referrals.drafts.find(draftToken)).toBeDefined();
		db.$client.prepare('update referral_drafts set expires_at = ?').run(Date.now() - 1);
		expect(referrals.drafts.find(draftToken)).toBeUndefined();
		expect(count('referral_drafts')).toBe(0);
	});

	it('is kept while its pages are looked at: seeing a step is use too', async () => {
		const draftToken = await saveSteps([['safe-now', { safeNow: 'safe' }]]);
		// Nearly an hour has passed on the story page.
		db.$client.prepare('update referral_drafts set expires_at = ?').run(Date.now() + 1000);
		const seen = referrals.drafts.visit(draftToken);
		const hour = referrals.drafts.draftIdleMinutes * 60_000;
		expect(seen?.expiresAt.getTime()).toBeGreaterThan(Date.now() + hour - 5000);
		const stored = db.$client.prepare('select expires_at from referral_drafts').get() as {
			expires_at: number;
		};
		expect(stored.expires_at).toBeGreaterThan(Date.now() + hour - 5000);
	});

	it('says so when a step arrives after the draft was deleted, and keeps that step', async () => {
		const draftToken = await saveSteps([
			['safe-now', { safeNow: 'safe' }],
			['who', { who: 'victim' }]
		]);
		db.$client.prepare('update referral_drafts set expires_at = ?').run(Date.now() - 1);
		const late = await postStep(draftToken, 'account', { account: 'What he did.' });
		expect(late).toMatchObject({ ok: true, lost: true });
		if (!late.ok) return;
		expect(late.startedDraft).toBeDefined();
		expect(late.answers).toEqual({ account: { account: 'What he did.' } });
		// The next step on the new draft has lost nothing.
		const next = await postStep(late.startedDraft, 'safe-now', { safeNow: 'safe' });
		expect(next).toMatchObject({ ok: true, lost: false });
	});

	it('hands out a token only when a step starts a draft, and a new one after sending', async () => {
		const first = await postStep(undefined, 'safe-now', { safeNow: 'safe' });
		const token = first.ok ? first.startedDraft : undefined;
		expect(token).toBeDefined();
		const again = await postStep(token, 'who', { who: 'victim' });
		expect(again).toMatchObject({ ok: true, startedDraft: undefined });
		await saveSteps(validSteps(), token);
		expect((await referrals.submit(token)).ok).toBe(true);
		const after = await postStep(token, 'safe-now', { safeNow: 'safe' });
		const next = after.ok ? after.startedDraft : undefined;
		expect(next).toBeDefined();
		expect(next).not.toBe(token);
		expect(referrals.confirmation(token)).toBeDefined();
	});
});

describe('bad input at every step', () => {
	const junk = fc.oneof(
		fc.string(),
		fc.nat({ max: 50 }).map((n) => 'é'.repeat(10_001 + n)),
		fc.constantFrom(
			'<script>alert(1)</script>',
			'../../etc/passwd',
			"' OR 1=1 --",
			'\u0000',
			'🙂'.repeat(300)
		),
		fc.array(fc.string(), { maxLength: 3 })
	);

	for (const { slug } of steps) {
		it(`${slug}: gets translated errors and writes nothing`, async () => {
			const draftToken = await saveSteps([['safe-now', { safeNow: 'unsure' }]]);
			const original = () =>
				db.$client.prepare('select * from referral_drafts where id = ?').get(draftToken);
			const fields = formFields(stepSchemas[slug]).map((field) => field.name);
			await fc.assert(
				fc.asyncProperty(
					fc.record(Object.fromEntries(fields.map((f) => [f, junk]))),
					async (input) => {
						const drafts = count('referral_drafts');
						const before = original();
						const parsed = await postStep(
							draftToken,
							slug,
							input as Record<string, string | string[]>
						);
						fc.pre(!parsed.ok);
						if (parsed.ok) return;
						const { errors, values } = parsed.failure.data;
						expect(Object.keys(errors).length).toBeGreaterThan(0);
						for (const key of Object.values(errors)) expect(translated(key!), key).toBe(true);
						expect(values).not.toHaveProperty('passphrase');
						expect(count('referral_drafts')).toBe(drafts);
						expect(original()).toEqual(before);
					}
				),
				{ numRuns: 60 }
			);
			expect(count('referrals')).toBe(0);
		});
	}
});

describe('the date it happened', () => {
	it('takes today by London’s calendar, even in the first hour of a summer day', () => {
		// 23:30 UTC on 15 July 2026 is 00:30 BST on 16 July in London.
		const justAfterMidnight = new Date('2026-07-15T23:30:00Z');
		expect(isPastDate('2026-07-16', justAfterMidnight)).toBe(true);
		expect(isPastDate('2026-07-15', justAfterMidnight)).toBe(true);
		expect(isPastDate('2026-07-17', justAfterMidnight)).toBe(false);
		// In winter London keeps UTC: 23:30 on 15 January is still the 15th.
		const winterNight = new Date('2026-01-15T23:30:00Z');
		expect(isPastDate('2026-01-15', winterNight)).toBe(true);
		expect(isPastDate('2026-01-16', winterNight)).toBe(false);
	});

	it('refuses a date that does not exist, or one before 1900', () => {
		const now = new Date('2026-12-01T12:00:00Z');
		for (const date of ['2026-02-30', '2026-13-01', '1899-12-31', '01-12-2026', '']) {
			expect(isPastDate(date, now), date).toBe(false);
		}
	});
});
