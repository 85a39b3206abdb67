import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seed } from './seed';
import { freshDatabase } from './testing';

describe('the database', () => {
	it('opens with WAL, foreign keys and a busy timeout', () => {
		const { db } = freshDatabase();
		expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
		expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
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
		const plan = (sql: string) =>
			(db.$client.prepare(`explain query plan ${sql}`).all() as { detail: string }[])
				.map((row) => row.detail)
				.join('; ');
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
});
