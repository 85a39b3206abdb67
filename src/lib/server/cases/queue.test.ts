import { randomBytes } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import * as audit from '$lib/server/audit';
import { createCipher, useCipher } from '$lib/server/crypto';
import { cases as casesTable, users } from '$lib/server/db/schema';
import { freshDatabase } from '$lib/server/db/testing';
import * as referrals from '$lib/server/referrals';
import { saveSteps, staffMember, validSteps } from '$lib/server/testing/fixtures';
import type { Actor } from './access';
import { firstContactClock } from './clock';
import * as cases from './index';
import { completeIndexes, nameTokens } from './names';
import { readFilters } from './schemas';

let db: ReturnType<typeof freshDatabase>['db'];
// The real cipher, counting what it opens: a page must open only the names it shows.
let opened = 0;
beforeEach(() => {
	({ db } = freshDatabase());
	const real = createCipher({ id: 'test', key: randomBytes(32) });
	useCipher({
		...real,
		decrypt: (sealed) => {
			opened += 1;
			return real.decrypt(sealed);
		}
	});
	opened = 0;
});

// A real account: each list a page shows is audited as read by it (access.recordListed).
let supervisor: Actor;
beforeEach(() => {
	supervisor = staffMember('supervisor', 'Jo');
});

/**
 * Opens one case per name through the referral module's own submit: the first referral's steps
 * are answered in full, the others reuse its answers (and passphrase hash) under a new name.
 */
async function openCases(names: string[]): Promise<string[]> {
	const first = await saveSteps(validSteps());
	const draft = referrals.drafts.find(first!)!;
	const answers = referrals.drafts.answersOf(draft);
	const opened: string[] = [];
	for (const name of names) {
		const next = structuredClone(answers);
		next.contact!.name = name;
		const { draft: fresh } = referrals.drafts.findOrStart(undefined);
		referrals.drafts.saveAnswers(fresh, next, draft.passphraseHash!);
		const sent = await referrals.submit(fresh.id);
		if (!sent.ok) throw new Error('referral incomplete');
		opened.push(sent.caseId);
	}
	return opened;
}

const references = (page: { rows: { reference: string }[] }) => page.rows.map((r) => r.reference);

describe('name tokens', () => {
	it('fold case, accents and Polish letters, and split on spaces, hyphens and apostrophes', () => {
		expect(nameTokens('Łukasz Żółć-Wiśniewski')).toEqual(['lukasz', 'zolc', 'wisniewski']);
		expect(nameTokens('  AGNIESZKA   nowak ')).toEqual(['agnieszka', 'nowak']);
		expect(nameTokens("Siobhán O'Brien")).toEqual(['siobhan', 'o', 'brien']);
		expect(nameTokens('Ngozi O’Neill-Okafor')).toEqual(['ngozi', 'o', 'neill', 'okafor']);
		expect(nameTokens('Björn Øster Straße')).toEqual(['bjorn', 'oster', 'strasse']);
		expect(nameTokens('Al-Hassan')).toEqual(['al', 'hassan']);
		expect(nameTokens('')).toEqual([]);
		expect(nameTokens(" - ' ")).toEqual([]);
	});

	it('fold Arabic vowel marks, hamza forms, alef maqsura, taa marbuta and tatweel', () => {
		// "Aḥmad" with and without hamza on the alef, and with vowel marks.
		expect(nameTokens('أحمد')).toEqual(nameTokens('احمد'));
		expect(nameTokens('أَحْمَد')).toEqual(nameTokens('احمد'));
		expect(nameTokens('إبراهيم')).toEqual(nameTokens('ابراهيم'));
		expect(nameTokens('فاطمة')).toEqual(nameTokens('فاطمه'));
		expect(nameTokens('مصطفى')).toEqual(nameTokens('مصطفي'));
		expect(nameTokens('محـــمد')).toEqual(nameTokens('محمد'));
		expect(nameTokens('عبد الله')).toEqual(['عبد', 'الله']);
	});
});

describe('the blind name index', () => {
	it('is written when a case opens, and searched without opening other names', async () => {
		const [nowak, other] = await openCases(['Ewa Nowak', 'Zofia Kowalczyk-Wiśniewska']);
		const tokens = db.$client.prepare('select case_id, token from case_name_tokens').all() as {
			case_id: string;
			token: string;
		}[];
		expect(tokens.filter((t) => t.case_id === nowak)).toHaveLength(2);
		expect(tokens.filter((t) => t.case_id === other)).toHaveLength(3);
		// Stored blinded: each token is an HMAC (32 bytes, base64url), never a name token itself.
		// (Not "contains no 'ewa'": a random 43-character string holds it about once in 130 runs.)
		for (const { token } of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const plain = ['ewa', 'nowak', 'zofia', 'kowalczyk', 'wisniewska'];
		expect(tokens.filter((t) => plain.includes(t.token.toLowerCase()))).toEqual([]);

		const found = (q: string) => cases.queue.list(supervisor, { status: 'open', q }).rows;
		opened = 0;
		expect(found('ewa NOWAK').map((r) => r.name)).toEqual(['Ewa Nowak']);
		expect(opened).toBe(1);
		expect(found('wisniewska zofia').map((r) => r.name)).toEqual(['Zofia Kowalczyk-Wiśniewska']);
		expect(found('Ewa Kowalczyk')).toEqual([]);
		expect(found('Nowa')).toEqual([]);
		expect(found('Anna')).toEqual([]);
	});

	it('follows a name the person changes', async () => {
		const [caseId] = await openCases(['Ewa Nowak']);
		const row = cases.person.ownCase(
			db.$client.prepare('select person_id from cases where id = ?').pluck().get(caseId) as string
		)!;
		const contact = cases.person.preferences(row).contact;
		expect(
			cases.person.updatePreferences(row, 'contact', { ...contact, name: 'Ewa Zielińska' })
		).toBe(true);
		const found = (q: string) => references(cases.queue.list(supervisor, { status: 'open', q }));
		expect(found('Zielinska')).toHaveLength(1);
		expect(found('Nowak')).toEqual([]);
	});

	it('is made whole as a case opens: start-up finds nothing to complete', async () => {
		const [caseId] = await openCases(['Ewa Nowak']);
		expect(completeIndexes()).toBe(0);
		expect(cases.queue.list(supervisor, { status: 'open', q: 'nowak' }).rows[0]?.id).toBe(caseId);
	});

	it('is completed in code for cases written without one', async () => {
		const [caseId] = await openCases(['Ewa Nowak']);
		db.$client.exec(
			'delete from case_name_tokens; update cases set name_index_key = null, first_contact_due_at = null'
		);
		expect(completeIndexes()).toBe(2);
		expect(completeIndexes()).toBe(0);
		expect(cases.queue.list(supervisor, { status: 'open', q: 'nowak' }).rows[0]?.id).toBe(caseId);
	});
});

describe('the queue', () => {
	it('pages by keyset: every case once, in order, ties included, opening only the page', async () => {
		const ids = await openCases(Array.from({ length: 120 }, (_, i) => `Person ${i}`));
		// Ties: many cases opened at the same moment, with the same priority.
		db.$client
			.prepare(
				'update cases set created_at = 1764000000000 + (rowid % 3) * 1000, priority = 1 + (rowid % 2)'
			)
			.run();
		const expected = db.$client
			.prepare('select reference from cases order by priority desc, created_at, id')
			.pluck()
			.all();
		const seen: string[] = [];
		let after: string | undefined;
		let pages = 0;
		do {
			opened = 0;
			const page = cases.queue.list(supervisor, { status: 'open', after });
			expect(opened).toBe(page.rows.length);
			expect(page.total).toBe(120);
			seen.push(...references(page));
			after = page.next ?? undefined;
			pages += 1;
		} while (after);
		expect(pages).toBe(3);
		expect(seen).toEqual(expected);
		expect(new Set(seen).size).toBe(ids.length);
		// A cursor we did not make starts at the top.
		expect(references(cases.queue.list(supervisor, { status: 'open', after: 'x' }))).toEqual(
			expected.slice(0, 50)
		);
	});

	it('finds overdue first contacts in SQL as the clock does, bank holidays included', async () => {
		const moments = [
			'2026-11-27T15:00:00Z', // a Friday afternoon
			'2026-11-28T20:00:00Z', // a Saturday
			'2026-12-24T18:00:00Z', // before Christmas Day and the Boxing Day holiday (28th)
			'2026-12-25T11:00:00Z', // on Christmas Day
			'2026-04-02T16:00:00Z', // before Good Friday and Easter Monday, in BST
			'2026-05-22T17:30:00Z', // the Friday before the spring bank holiday
			'2026-03-27T12:00:00Z' // before the clocks go forward
		];
		const ids = await openCases(moments.flatMap((_, i) => [`A ${i}`, `B ${i}`, `C ${i}`]));
		// Each moment three times, at each priority; the due dates computed again, in code.
		const set = db.$client.prepare(
			'update cases set created_at = ?, priority = ?, first_contact_due_at = null where id = ?'
		);
		ids.forEach((id, i) => set.run(Date.parse(moments[Math.floor(i / 3)]!), 1 + (i % 3), id));
		// Back-dated by a script: the server's start computes the due dates again.
		completeIndexes();
		const rows = db.$client.prepare('select reference, created_at, priority from cases').all() as {
			reference: string;
			created_at: number;
			priority: number;
		}[];
		const checks = [
			...moments.flatMap((m) => [1, 2, 3, 5, 8].map((days) => Date.parse(m) + days * 86_400_000)),
			Date.parse('2026-12-29T18:00:15Z'),
			Date.parse('2026-12-29T18:00:45Z')
		];
		for (const at of checks) {
			const now = new Date(at);
			const clock = rows
				.filter(
					(r) =>
						firstContactClock(
							{ createdAt: new Date(r.created_at), priority: r.priority, firstContactAt: null },
							now
						).state === 'overdue'
				)
				.map((r) => r.reference)
				.sort();
			const page = cases.queue.list(supervisor, { status: 'open', overdue: 'yes' }, 100, now);
			expect(references(page).sort(), now.toISOString()).toEqual(clock);
			expect(page.total).toBe(clock.length);
			expect(cases.queue.oversight(supervisor, now).overdue.total).toBe(clock.length);
		}
	});

	it('shows the supervisor counts and the first few of each list', async () => {
		await openCases(Array.from({ length: 30 }, (_, i) => `Person ${i}`));
		opened = 0;
		const view = cases.queue.oversight(supervisor, new Date(Date.now() + 30 * 86_400_000));
		expect(view.unassigned.total).toBe(30);
		expect(view.unassigned.rows).toHaveLength(cases.queue.homeRows);
		expect(view.overdue.total).toBe(30);
		expect(view.overdue.rows).toHaveLength(cases.queue.homeRows);
		// The names shown, and the first name of the one staff member in the caseloads.
		expect(opened).toBe(2 * cases.queue.homeRows + 1);
	});
});

describe('the supervisor’s caseloads', () => {
	it('keep a named contact who left while holding open cases, marked, until the cases are given on', async () => {
		const [held] = await openCases(['Person held']);
		const leaver = staffMember('caseworker', 'Amira');
		const idle = staffMember('caseworker', 'Bo');
		const row = db.select().from(casesTable).where(eq(casesTable.id, held!)).get()!;
		expect(cases.changes.assign(supervisor, row, leaver.userId)).toMatchObject({ ok: true });
		const left = new Date();
		db.update(users)
			.set({ deactivatedAt: left })
			.where(inArray(users.id, [leaver.userId, idle.userId]))
			.run();
		const loads = cases.queue.oversight(supervisor).caseloads;
		expect(loads.find((member) => member.id === leaver.userId)).toMatchObject({
			open: 1,
			gone: true
		});
		// Someone who left with nothing open is simply gone from the table.
		expect(loads.find((member) => member.id === idle.userId)).toBeUndefined();
		expect(loads.find((member) => member.id === supervisor.userId)).toMatchObject({ gone: false });
		// The table's link lists exactly the open cases it counts.
		const listed = cases.queue.list(supervisor, { status: 'open', caseworker: leaver.userId });
		expect(listed.rows.map((listedRow) => listedRow.id)).toEqual([held]);
	});
});

describe('every case a list shows', () => {
	/** The cases this staff member is recorded as having read, each once. */
	const readBy = (actor: Actor) =>
		(
			db.$client
				.prepare(
					"select distinct case_id as id from audit_log where action = 'case_viewed' and actor_id = ?"
				)
				.all(actor.userId) as { id: string }[]
		)
			.map((row) => row.id)
			.sort();

	it('is audited as read by whoever listed it: a page, a search, the home page’s lists', async () => {
		const ids = await openCases(['Anna Nowak', 'Ben Okafor', 'Cara Hughes']);
		const searcher = staffMember('supervisor', 'Sam');
		// A search for one person leaves a trace on that person's case, and no other.
		const found = cases.queue.list(searcher, { status: 'open', q: 'Okafor' });
		expect(found.rows.map((row) => row.id)).toEqual([ids[1]]);
		expect(readBy(searcher)).toEqual([ids[1]]);
		// A page of the list: each case on it.
		cases.queue.list(supervisor, { status: 'open' }, 2);
		expect(readBy(supervisor)).toHaveLength(2);
		const home = staffMember('supervisor', 'Lee');
		cases.queue.oversight(home);
		expect(readBy(home)).toEqual([...ids].sort());
		// The person sees that their case was seen, by role, like any other read.
		expect(audit.visits(ids[0]!).some((visit) => visit.who === 'supervisor')).toBe(true);
	});
});

describe('the queue’s filters from its address', () => {
	it('ignore a value we do not offer, one filter at a time, and keep the others and the page', () => {
		const params = new URLSearchParams({
			need: 'x',
			crimeType: 'burglary',
			after: 'cursor-of-page-2',
			status: 'bogus'
		});
		// The bad need and status go; the crime type and the page's place stay.
		expect(readFilters(params)).toEqual({ crimeType: 'burglary', after: 'cursor-of-page-2' });
	});

	it('never let an unknown status list closed cases', async () => {
		await openCases(['Ana Pop', 'Bo Lee']);
		const [first] = cases.queue.list(supervisor, {}).rows;
		const closer = staffMember('supervisor', 'Sade');
		const closed = cases.changes.close(closer, { id: first!.id }, 'other');
		expect(closed.ok).toBe(true);
		const defaults = { status: cases.queue.open };
		const filters = { ...defaults, ...readFilters(new URLSearchParams({ status: 'bogus' })) };
		const shown = cases.queue.list(supervisor, filters).rows.map((row) => row.id);
		expect(shown).not.toContain(first!.id);
		expect(shown).toHaveLength(1);
	});
});
