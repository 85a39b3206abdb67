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
