import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { durably, migrateDatabase, openDatabase, unflushed } from './index';
import { seed } from './seed';
import { newId } from './schema';
import { freshDatabase } from './testing';

/** SQLite's plan for a statement on this database, its steps joined: "SEARCH … USING INDEX …". */
const queryPlan =
	(db: ReturnType<typeof freshDatabase>['db']) =>
	(sql: string): string =>
		(db.$client.prepare(`explain query plan ${sql}`).all() as { detail: string }[])
			.map((row) => row.detail)
			.join('; ');

describe('the database', () => {
	it('opens with WAL, durable commits, foreign keys and a busy timeout', () => {
		const { db } = freshDatabase();
		expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
		// 2 is FULL: each commit is synced, so an acknowledged referral survives a power cut.
		expect(db.$client.pragma('synchronous', { simple: true })).toBe(2);
		expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
		expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
	});

	it('writes a draft step without a flush, and flushes every commit after it, even one that failed', () => {
		const { db } = freshDatabase();
		const synchronous = () => db.$client.pragma('synchronous', { simple: true });
		expect(unflushed(db, () => synchronous())).toBe(1); // NORMAL, inside
		expect(synchronous()).toBe(2);
		expect(() =>
			unflushed(db, () => {
				throw new Error('a write that failed');
			})
		).toThrow('a write that failed');
		expect(synchronous()).toBe(2);
		// Inside another transaction (a seeder's, the bench's) it writes as that one commits.
		expect(db.$client.transaction(() => unflushed(db, () => synchronous()))()).toBe(2);
		expect(synchronous()).toBe(2);
	});

	it('resolves a durable write once it is committed, however many are waiting at once', async () => {
		const { db } = freshDatabase();
		const synchronous = () => db.$client.pragma('synchronous', { simple: true });
		const insert = db.$client.prepare(
			'insert into referral_drafts (id, updated_at, expires_at) values (?, 0, 0)'
		);
		const count = db.$client.prepare('select count(*) from referral_drafts').pluck();
		// Twenty at once, as under load: each is written as it is called, then waits for a sync.
		const writes = Array.from({ length: 20 }, (_, n) =>
			durably(db, () => {
				insert.run(`draft-${n}`);
				return n;
			})
		);
		expect(count.get()).toBe(20);
		expect(synchronous()).toBe(2);
		expect(await Promise.all(writes)).toEqual([...Array(20).keys()]);
		// One that fails is not committed, and says so.
		await expect(
			durably(db, () => {
				insert.run('draft-0');
			})
		).rejects.toThrow(/UNIQUE/);
		expect(count.get()).toBe(20);
		expect(synchronous()).toBe(2);
	});

	it('runs each seeder once, however often seeding is asked for', async () => {
		const { db } = freshDatabase();
		let runs = 0;
		const list = [{ name: 'counter', run: () => void runs++ }];
		expect(await seed(db, list)).toEqual(['counter']);
		expect(await seed(db, list)).toEqual([]);
		expect(runs).toBe(1);
	});

	it('finds a person’s case, a caseload, due notifications and a user’s sessions by index', () => {
		// The questions asked on every portal request, every console page and every few seconds
		// by the outbox: at 100,000 cases a scan of the table is the difference that matters.
		const { db } = freshDatabase();
		const plan = queryPlan(db);
		expect(plan("select id from cases where person_id = 'p'")).toContain(
			'USING INDEX cases_person'
		);
		expect(plan("select id from cases where caseworker_id = 'c' and status != 'closed'")).toContain(
			'USING INDEX cases_caseworker'
		);
		expect(
			plan("select id from outbox where status = 'pending' and next_attempt_at <= 0 limit 50")
		).toContain('USING INDEX outbox_due');
		expect(plan("select id_hash from sessions where user_id = 'u'")).toContain(
			'USING INDEX sessions_user'
		);
	});

	it('finds a case’s own notices by index, whatever else waits to be sent', () => {
		// Every change to a case asks whether a "something new" is still waiting (command.ts), and
		// anonymising a case deletes its notices: with thousands pending, a scan of them each time.
		const { db } = freshDatabase();
		const plan = queryPlan(db);
		expect(
			plan(
				"select id from outbox where status = 'pending' and case_id = 'c' and kind = 'case_updated' and audience = 'person'"
			)
		).toContain('USING INDEX outbox_case');
		expect(plan("delete from outbox where case_id = 'c'")).toContain('outbox_case');
	});

	it('forgets old sign-in failures, counts a worker’s messages, finds a referral’s case and lapsed reset codes by index', () => {
		// Each read its whole table: every failed try, every partner message sent, a professional's
		// form sent twice, the hourly sweep (an audit of every statement's plan at 100,000 cases).
		const { db } = freshDatabase();
		const plan = queryPlan(db);
		expect(plan('delete from sign_in_failures where at < 0')).toContain('sign_in_failures_at');
		expect(
			plan("select count(*) from partner_messages where author_id = 'a' and created_at > 0")
		).toContain('partner_messages_author');
		expect(
			plan(
				"select c.id from cases c join referrals r on r.id = c.referral_id where r.draft_id = 'd'"
			)
		).toContain('cases_referral');
		expect(
			plan('update users set reset_hash = null, reset_expires_at = null where reset_expires_at < 0')
		).toContain('users_reset_expires');
	});

	it('sweeps expired drafts and unlinks a deleted case’s draft by index', () => {
		// Every new draft first deletes the expired ones (referrals/drafts.ts), and anyone can start
		// drafts: a scan of the table there made each start slower by every draft ever left open.
		const { db } = freshDatabase();
		const plan = queryPlan(db);
		expect(
			plan('delete from "referral_drafts" where "referral_drafts"."expires_at" < 0')
		).toContain('INDEX referral_drafts_expires');
		// What SQLite runs for the foreign key's `on delete set null` when a case is deleted.
		expect(plan("update referral_drafts set case_id = null where case_id = 'c'")).toContain(
			'INDEX referral_drafts_case'
		);
	});

	it('pages the console’s queue, counts overdue and searches names by index', () => {
		// cases/queue.ts at 100,000 cases: each page reads its 50 rows in order from an index (no
		// sort of the whole set), and a count or a search reads only its own index range.
		const { db } = freshDatabase();
		const plan = queryPlan(db);
		const order = 'order by priority desc, created_at, id limit 51';
		const after =
			"and (priority < 2 or (priority = 2 and (created_at > 0 or (created_at = 0 and id > 'x'))))";
		const open = plan(`select id from cases where status <> 'closed' ${after} ${order}`);
		expect(open).toContain('INDEX cases_queue_open');
		expect(open).not.toContain('TEMP B-TREE');
		const unassigned = plan(
			`select id from cases where status <> 'closed' and coalesce("cases"."caseworker_id", '') = '' ${after} ${order}`
		);
		expect(unassigned).toContain('INDEX cases_queue_unassigned');
		expect(unassigned).not.toContain('TEMP B-TREE');
		// Who referred is checked on the same walk, as the kind of crime is: no index of its own.
		const professional = plan(
			`select id from cases where status <> 'closed' and source = 'professional' and referrer_kind = 'police' ${after} ${order}`
		);
		expect(professional).toContain('INDEX cases_queue_open');
		expect(professional).not.toContain('TEMP B-TREE');
		const closed = plan(`select id from cases where status = 'closed' ${after} ${order}`);
		expect(closed).toContain('INDEX cases_queue_status');
		expect(closed).not.toContain('TEMP B-TREE');
		expect(
			plan(
				"select count(*) from cases where status <> 'closed' and first_contact_at is null and first_contact_due_at < 0"
			)
		).toContain('INDEX cases_first_contact_due (first_contact_due_at<?)');
		expect(
			plan(
				"select id from cases where id in (select case_id from case_name_tokens where token = 'a' intersect select case_id from case_name_tokens where token = 'b')"
			)
		).toMatch(
			/case_name_tokens USING COVERING INDEX sqlite_autoindex_case_name_tokens_1 \(token=\?\)/
		);
		expect(
			plan(
				"select id from cases where name_index_key is null or name_index_key < 'k' or name_index_key > 'k'"
			)
		).toContain('INDEX cases_name_index_key');
		expect(plan('select id from cases where first_contact_due_at is null')).toContain(
			'INDEX cases_due_missing'
		);
	});

	it('waits for another process’s write before a transaction that reads and then writes', async () => {
		const { db, path } = freshDatabase();
		const count = () => db.$client.prepare('select count(*) from referral_drafts').pluck().get();
		// Another process (a script beside the server) holds the write lock for a moment, adds a
		// draft and commits.
		const other = spawn(
			process.execPath,
			[
				'-e',
				`const db = new (require('better-sqlite3'))(${JSON.stringify(path)});
				db.exec("begin immediate; insert into referral_drafts (id, updated_at, expires_at) values ('theirs', 0, 0)");
				console.log('locked');
				setTimeout(() => { db.exec('commit'); db.close(); }, 300);`
			],
			// Run from the project, whose node_modules has better-sqlite3.
			{ cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] }
		);
		await new Promise((locked, failed) => {
			other.stdout.once('data', locked);
			other.once('exit', (code) => failed(new Error(`the other process ended (${code})`)));
		});
		// Read first, then write, as a sign-in does (is the password still theirs? then a session):
		// this waits for the lock and sees their draft, instead of failing with SQLITE_BUSY_SNAPSHOT.
		const seen = db.transaction(() => {
			const before = count();
			db.$client
				.prepare('insert into referral_drafts (id, updated_at, expires_at) values (?, 0, 0)')
				.run('ours');
			return before;
		});
		expect(seen).toBe(1);
		expect(count()).toBe(2);
		if (other.exitCode === null) await new Promise((exited) => other.once('exit', exited));
		expect(other.exitCode).toBe(0);
	});

	it('has committed migrations that match the schema', () => {
		// drizzle-kit writes a new migration only when schema.ts and drizzle/ disagree.
		const out = mkdtempSync(join(tmpdir(), 'onedoor-drift-'));
		cpSync('drizzle', out, { recursive: true });
		const before = readdirSync(out).sort();
		execFileSync(
			'npx',
			[
				'drizzle-kit',
				'generate',
				'--dialect=sqlite',
				'--schema=./src/lib/server/db/schema.ts',
				`--out=${out}`
			],
			{ stdio: 'pipe' }
		);
		expect(readdirSync(out).sort()).toEqual(before);
	});

	it('moves what a person may change onto the case, and the referral keeps only the rest', () => {
		// A database as it was before migration 0012, with a referral made then.
		const before = mkdtempSync(join(tmpdir(), 'onedoor-0011-'));
		cpSync('drizzle', before, { recursive: true });
		const journal = JSON.parse(readFileSync(join(before, 'meta/_journal.json'), 'utf8'));
		journal.entries = journal.entries.filter((e: { tag: string }) => e.tag < '0012');
		writeFileSync(join(before, 'meta/_journal.json'), JSON.stringify(journal));
		const db = openDatabase(join(before, 'old.db'));
		migrateDatabase(db, before);
		const old = {
			safeNow: 'safe',
			who: 'victim',
			themKnows: null,
			crimeType: 'burglary',
			when: 'month',
			date: '',
			police: 'not_reported',
			needs: ['emotional'],
			childAtRisk: 'no',
			channels: ['phone', 'email'],
			voicemail: 'no',
			sayWhoWeAre: 'yes',
			interpreter: 'yes',
			consent: { share: true, police: false }
		};
		db.$client.exec(`
			insert into users (id, role, language, created_at) values ('p', 'person', 'pl', 0);
			insert into referrals (id, draft_id, relationship, answers, created_at)
				values ('r', 'd', 'victim', '${JSON.stringify(old)}', 0);
			insert into cases (id, reference, referral_id, person_id, priority, priority_reasons,
				crime_type, police_reported, needs, safe_channels, language, interpreter, consent_share,
				consent_police, created_at, updated_at)
			values ('c', 'ACDE-FG4K', 'r', 'p', 1, '[]', 'burglary', 'not_reported', '["emotional"]',
				'["email"]', 'pl', 1, 1, 0, 0, 0);
		`);

		migrateDatabase(db);
		const row = (sql: string) => db.$client.prepare(sql).get() as Record<string, unknown>;
		expect(
			row("select voicemail, say_who_we_are, safe_channels from cases where id = 'c'")
		).toEqual({ voicemail: 'no', say_who_we_are: 'yes', safe_channels: '["email"]' });
		// Its copies of what the case and `relationship` hold are gone: those are the only ones.
		expect(
			JSON.parse(row("select answers from referrals where id = 'r'").answers as string)
		).toEqual({
			safeNow: 'safe',
			themKnows: null,
			when: 'month',
			date: '',
			needs: ['emotional'],
			childAtRisk: 'no'
		});
		expect(row("select * from users where id = 'p'")).not.toHaveProperty('language');
	});
});

describe('new row ids', () => {
	it('are UUIDs version 7 whose order follows the time they were made, each one unique', async () => {
		const first = Array.from({ length: 1000 }, () => newId());
		await new Promise((resolve) => setTimeout(resolve, 3));
		const later = newId();
		for (const id of [...first, later]) {
			expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		}
		expect(new Set(first).size).toBe(first.length);
		// The first 48 bits are the time in milliseconds.
		const made = (id: string) => parseInt(id.replace('-', '').slice(0, 12), 16);
		expect(Math.abs(made(later) - Date.now())).toBeLessThan(1000);
		expect(first.every((id) => id < later)).toBe(true);
	});
});
