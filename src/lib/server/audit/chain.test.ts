import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCipher, useCipher, type DataKey } from '$lib/server/crypto';
import { freshDatabase } from '$lib/server/db/testing';
import { users } from '$lib/server/db/schema';
import * as referrals from '$lib/server/referrals';
import { saveSteps, validSteps } from '$lib/server/testing/fixtures';
import { completeChain, keysOf, pruneAudit, verifyChain } from './chain';
import { pruneAudit as pruneInBatches } from './hash-chain.js';
import * as audit from './index';

const key = (id: string): DataKey => ({ id, key: randomBytes(32) });

let db: ReturnType<typeof freshDatabase>['db'];
let path: string;
let dataKey: DataKey;

beforeEach(() => {
	({ db, path } = freshDatabase());
	dataKey = key('k1');
	useCipher(createCipher(dataKey));
});
afterEach(() => {
	vi.useRealTimers();
});

function staff(email: string) {
	const row = db.insert(users).values({ role: 'caseworker', email }).returning().get();
	return { id: row.id, role: row.role };
}

/** Writes `count` audit rows through the real `record()` and returns their ids, oldest first. */
function writeRows(count: number, caseId?: string): number[] {
	const worker = staff(`cw${randomBytes(4).toString('hex')}@onedoor.test`);
	const ids: number[] = [];
	for (let n = 0; n < count; n++) {
		audit.record('case_viewed', worker, { caseId, subjectId: worker.id, detail: `visit ${n}` });
		ids.push(sql<{ id: number }>('select max(id) as id from audit_log').id);
	}
	return ids;
}

function sql<Row>(text: string, ...params: unknown[]): Row {
	return db.$client.prepare(text).get(...params) as Row;
}

/** What an attacker holding the SQLite file (but not DATA_KEY) can do: plain SQL. */
function tamper(text: string, ...params: unknown[]) {
	db.$client.prepare(text).run(...params);
}

describe('the tamper-evident audit trail', () => {
	it('verifies a trail written by the real record()', () => {
		const ids = writeRows(5);
		const report = verifyChain(db, keysOf());
		expect(report).toMatchObject({ ok: true, from: 'the first row' });
		expect(report.ok && report.rows).toBeGreaterThanOrEqual(ids.length);
		expect(sql<{ hash: string }>('select hash from audit_log where id = ?', ids[2]).hash).toMatch(
			/^k1:[\w-]{43}:[\w-]{43}$/
		);
	});

	it('finds an edit to any one field of one row at exactly that row', async () => {
		const sent = await referrals.submit(await saveSteps(validSteps()));
		if (!sent.ok) throw new Error('referral incomplete');
		const other = staff('other@onedoor.test');
		const edits: [string, unknown][] = [
			['action', 'sign_in'],
			['actor_id', other.id],
			['actor_role', 'supervisor'],
			['case_id', null],
			['subject_id', other.id],
			['detail', 'visit 99'],
			['at', Date.now() - 86_400_000]
		];
		const ids = writeRows(4, sent.caseId);
		const target = ids[1]!;
		for (const [column, value] of edits) {
			const before = sql<Record<string, unknown>>(
				`select ${column} as v from audit_log where id = ?`,
				target
			).v;
			tamper(`update audit_log set ${column} = ? where id = ?`, value, target);
			expect(verifyChain(db, keysOf()), column).toMatchObject({
				ok: false,
				id: target,
				reason: 'it was changed after it was written: its fields no longer match its seal'
			});
			tamper(`update audit_log set ${column} = ? where id = ?`, before, target);
			expect(verifyChain(db, keysOf()).ok, `${column} put back`).toBe(true);
		}
		// Its seal changed too (an attacker cannot make the right one without the key).
		tamper("update audit_log set hash = 'k1:' || hex(randomblob(32)) where id = ?", target);
		expect(verifyChain(db, keysOf())).toMatchObject({ ok: false, id: target });
	});

	it('finds rows removed from the middle', () => {
		const ids = writeRows(6);
		tamper('delete from audit_log where id = ?', ids[2]);
		expect(verifyChain(db, keysOf())).toMatchObject({
			ok: false,
			id: ids[3],
			reason: `row ${ids[2]} was removed: this row no longer follows row ${ids[1]}`
		});
		tamper('delete from audit_log where id = ?', ids[3]);
		expect(verifyChain(db, keysOf())).toMatchObject({
			ok: false,
			id: ids[4],
			reason: `rows ${ids[2]} to ${ids[3]} were removed: this row no longer follows row ${ids[1]}`
		});
	});

	it('finds a forged row, at the end or pushed into the middle', () => {
		const ids = writeRows(4);
		const last = ids.at(-1)!;
		const copy = `insert into audit_log (id, action, actor_id, actor_role, case_id, subject_id, detail, at, hash)
			select ?, action, actor_id, actor_role, case_id, subject_id, 'forged', at, hash from audit_log where id = ?`;
		tamper(copy, last + 1, last);
		expect(verifyChain(db, keysOf())).toMatchObject({
			ok: false,
			id: last + 1,
			reason: `it was not written by OneDoor: it carries a copy of row ${last}'s seal`
		});

		tamper('delete from audit_log where id = ?', last + 1);
		// Room made in the middle by renumbering the rows after it, as an attacker would.
		for (const id of ids.slice(2).reverse()) {
			tamper('update audit_log set id = id + 1 where id = ?', id);
		}
		tamper(copy, ids[2], ids[1]);
		expect(verifyChain(db, keysOf())).toMatchObject({ ok: false, id: ids[2] });
	});

	it('keeps verifying from the anchor after retention removes the oldest rows', () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2018-03-01T09:00:00Z'));
		const old = writeRows(5);
		vi.setSystemTime(new Date('2026-03-01T09:00:00Z'));
		const kept = writeRows(3);

		// Batches of two: the anchor moves with each, so a stop between batches leaves a sound chain.
		const older = sql<{ n: number }>(
			'select count(*) as n from audit_log where id <= ?',
			old.at(-1)
		).n;
		expect(pruneInBatches(db.$client, new Date('2019-01-01'), 2)).toBe(older);
		expect(
			sql<{ n: number }>('select count(*) as n from audit_log where id in (?, ?, ?)', ...kept).n
		).toBe(3);
		expect(
			sql<{ n: number }>('select count(*) as n from audit_log where id <= ?', old.at(-1)).n
		).toBe(0);
		expect(verifyChain(db, keysOf())).toMatchObject({
			ok: true,
			rows: 3,
			from: `where retention left it, after row ${old.at(-1)}`
		});
		// Nothing older is left: a second sweep removes nothing and changes nothing.
		expect(pruneAudit(new Date('2019-01-01'))).toBe(0);

		// New rows follow on; removing the first row kept is still found.
		writeRows(1);
		expect(verifyChain(db, keysOf())).toMatchObject({ ok: true, rows: 4 });
		tamper('delete from audit_log where id = ?', kept[0]);
		expect(verifyChain(db, keysOf())).toMatchObject({
			ok: false,
			id: kept[1],
			reason: `the trail does not start where retention left it: row ${kept[0]} was removed`
		});
	});

	it('seals the rows written before the chain began, and no later unsealed row', () => {
		const worker = staff('before@onedoor.test');
		const insert = db.$client.prepare(
			"insert into audit_log (action, actor_id, actor_role, at) values ('case_viewed', ?, 'caseworker', ?)"
		);
		for (let n = 0; n < 3; n++) insert.run(worker.id, Date.now() - 1000 + n);
		expect(verifyChain(db, keysOf())).toMatchObject({ ok: false, reason: /has no seal/ });

		expect(completeChain(db)).toBe(3);
		const ids = writeRows(2);
		expect(verifyChain(db, keysOf())).toMatchObject({ ok: true, rows: 5 });
		// Run again at the next start: nothing left to do.
		expect(completeChain(db)).toBe(0);

		// A row added later without a seal is not a row from before the chain: it is never sealed.
		insert.run(worker.id, Date.now());
		const added = ids.at(-1)! + 1;
		vi.spyOn(console, 'error').mockImplementation(() => {});
		expect(completeChain(db)).toBe(0);
		expect(verifyChain(db, keysOf())).toMatchObject({ ok: false, id: added, reason: /no seal/ });
	});

	it('still verifies after the data key rotates, and re-seals under the new key at start', () => {
		const before = writeRows(3);
		const next = key('k2');
		useCipher(createCipher(next, [dataKey]));
		writeRows(2);
		expect(verifyChain(db, keysOf())).toMatchObject({ ok: true });
		// The new key alone cannot check the rows sealed with the old one, and says which key.
		expect(verifyChain(db, keysOf(createCipher(next)))).toMatchObject({
			ok: false,
			reason: /sealed with data key "k1", which is neither DATA_KEY nor in DATA_KEYS_OLD/
		});

		// As the server starts with both keys, every row is re-sealed under k2: k1 can then go.
		expect(completeChain(db)).toBe(before.length);
		expect(verifyChain(db, keysOf(createCipher(next)))).toMatchObject({ ok: true });
		expect(
			sql<{ hash: string }>('select hash from audit_log where id = ?', before[0]).hash
		).toMatch(/^k2:/);
	});

	it('re-seals a page at a time: stopped half-way, the trail still verifies, and a rerun ends it', () => {
		const ids = writeRows(700);
		const late = ids[600]!;
		// A changed row late in the trail stops the run in its second page of 500.
		tamper("update audit_log set detail = 'moved' where id = ?", late);
		const next = key('k2');
		useCipher(createCipher(next, [dataKey]));
		vi.spyOn(console, 'error').mockImplementation(() => {});
		expect(completeChain(db)).toBe(0);
		const keyOf = (id: number) =>
			sql<{ hash: string }>('select hash from audit_log where id = ?', id).hash.split(':')[0];
		expect([keyOf(ids[0]!), keyOf(ids[498]!), keyOf(ids[550]!)]).toEqual(['k2', 'k2', 'k1']);
		// Half under each key, and nothing broken but the changed row.
		expect(verifyChain(db, keysOf())).toMatchObject({ ok: false, id: late });
		// The server goes on writing meanwhile, after the digests, which no key changes.
		writeRows(2);

		tamper("update audit_log set detail = 'visit 600' where id = ?", late);
		expect(verifyChain(db, keysOf())).toMatchObject({ ok: true });
		expect(completeChain(db)).toBeGreaterThan(100);
		expect(verifyChain(db, keysOf(createCipher(next)))).toMatchObject({ ok: true });
	});

	it('never re-seals a row that was changed, so a rotation cannot hide it', () => {
		const ids = writeRows(4);
		tamper("update audit_log set detail = 'nothing to see' where id = ?", ids[1]);
		useCipher(createCipher(key('k2'), [dataKey]));
		vi.spyOn(console, 'error').mockImplementation(() => {});
		completeChain(db);
		expect(verifyChain(db, keysOf())).toMatchObject({ ok: false, id: ids[1] });
	});

	it('npm run audit:verify says OK and exits 0, or names the broken row and exits 1', async () => {
		const ids = writeRows(3);
		const env = {
			...process.env,
			DATABASE_PATH: path,
			DATA_KEY: `k1:${dataKey.key.toString('base64')}`,
			DATA_KEYS_OLD: ''
		};
		const run = promisify(execFile);
		const ok = await run('node', ['scripts/audit-verify.js'], { env });
		expect(ok.stdout).toMatch(/^Audit trail OK: \d+ rows checked, from the first row\.\n$/);

		const missing = await run('node', ['scripts/audit-verify.js'], {
			env: { ...env, DATABASE_PATH: `${path}.nowhere` }
		}).catch((e) => e);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toMatch(
			/^OneDoor cannot check the audit trail: there is no database at/
		);

		tamper("update audit_log set actor_role = 'admin' where id = ?", ids[1]);
		const broken = await run('node', ['scripts/audit-verify.js'], { env }).catch((e) => e);
		expect(broken.code).toBe(1);
		expect(broken.stdout).toMatch(
			new RegExp(
				`^Audit trail broken at row ${ids[1]} \\(case_viewed, \\d{4}-.*Z\\): it was changed after it was written`
			)
		);
	});
});

describe('npm run rekey', () => {
	it('re-seals the audit trail too, so the old key can go', async () => {
		const ids = writeRows(3);
		const next = key('k2');
		const text = (k: DataKey) => `${k.id}:${k.key.toString('base64')}`;
		const run = promisify(execFile);
		const rekeyed = await run('node', ['scripts/rekey.js'], {
			env: {
				...process.env,
				DATABASE_PATH: path,
				DATA_KEY: text(next),
				DATA_KEYS_OLD: text(dataKey)
			}
		});
		expect(rekeyed.stdout).toMatch(/DATA_KEYS_OLD can be removed/);
		const verified = await run('node', ['scripts/audit-verify.js'], {
			env: { ...process.env, DATABASE_PATH: path, DATA_KEY: text(next), DATA_KEYS_OLD: '' }
		});
		expect(verified.stdout).toMatch(/^Audit trail OK: \d+ rows checked/);
		expect(sql<{ hash: string }>('select hash from audit_log where id = ?', ids[0]).hash).toMatch(
			/^k2:/
		);
	});
});
