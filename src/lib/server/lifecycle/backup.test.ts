import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as people from '$lib/server/auth/people';
import { createCipher, useCipher, type Cipher } from '$lib/server/crypto';
import { migrateDatabase, openDatabase, useDatabase, type Db } from '$lib/server/db';
import { freshDatabase } from '$lib/server/db/testing';
import * as referrals from '$lib/server/referrals';
import { saveSteps, validSteps } from '$lib/server/testing/fixtures';
import { BackupError, restoreBackup, scheduledBackups, writeBackup } from './backup.js';
import { nextBackupDelay } from './backup.js';
import { checkBackup, runScheduledBackup, startBackups } from './backup-schedule';
import { ConfigError } from '$lib/server/config';

const address = '203.0.113.9';
const passphraseOf = (n: number) => `purple kettle river moon ${n}`;
const account = 'They broke the back door on Tuesday night.';

let db: Db;
let dbPath: string;
let cipher: Cipher;
let key1: Buffer;
let folder: string;
beforeEach(() => {
	({ db, path: dbPath } = freshDatabase());
	key1 = randomBytes(32);
	cipher = useCipher(createCipher({ id: 'k1', key: key1 }));
	folder = mkdtempSync(join(tmpdir(), 'onedoor-backup-'));
});
afterEach(() => {
	vi.restoreAllMocks();
});

/** The server's environment, as a scheduled backup's restore check gets it. */
const serverEnv = () => ({
	...process.env,
	NODE_ENV: 'test',
	DATA_KEY: `k1:${key1.toString('base64')}`,
	DATABASE_PATH: dbPath
});

/** Drafts with every step answered, each with its own passphrase, ready to submit. */
async function drafts(count: number, first = 0) {
	const made: { token: string | undefined; passphrase: string }[] = [];
	for (let n = first; n < first + count; n++) {
		const passphrase = passphraseOf(n);
		const token = await saveSteps(validSteps({ passphrase: { passphrase, confirm: passphrase } }));
		made.push({ token, passphrase });
	}
	return made;
}

/**
 * Submits a draft as the person pressing "Send" would; the reference is their acknowledgement.
 * The referral is written before this returns; the promise settles once it is on disk.
 */
async function submit(draft: { token: string | undefined; passphrase: string }) {
	const sent = await referrals.submit(draft.token);
	if (!sent.ok) throw new Error('the referral was refused');
	return { reference: sent.reference, passphrase: draft.passphrase };
}

/** A database at `path` holding one referral, as a server's would; answers its reference. */
async function databaseWithOneReferral(path: string) {
	const other = openDatabase(path);
	migrateDatabase(other);
	useDatabase(other);
	const [draft] = await drafts(1, 100);
	const { reference } = await submit(draft!);
	other.$client.close();
	useDatabase(db);
	return reference;
}

/** Opens `path` as the server would and answers whether this person can sign in there. */
async function signsIn(path: string, person: { reference: string; passphrase: string }) {
	const restored = openDatabase(path);
	useDatabase(restored);
	try {
		return (await people.signIn(person.reference, person.passphrase, address)).ok;
	} finally {
		restored.$client.close();
		useDatabase(db);
	}
}

describe('a backup taken while referrals are being written', () => {
	it('restores every referral acknowledged before it finished, and each person signs in', async () => {
		const waiting = await drafts(8);
		const before = await Promise.all(waiting.splice(0, 2).map(submit));
		const during: ReturnType<typeof submit>[] = [];
		const file = join(folder, 'live.backup');
		// One page per step, and a referral sent between steps: the server's own writes while
		// the copy is under way.
		await writeBackup(db.$client, file, cipher, {
			pagesPerStep: 1,
			onStep: () => {
				if (during.length < 4) during.push(submit(waiting.shift()!));
			}
		});
		expect(during).toHaveLength(4);
		const sentDuring = await Promise.all(during);
		const after = await Promise.all(waiting.map(submit));
		expect(after.length).toBeGreaterThan(0);

		const target = join(folder, 'restored', 'onedoor.db');
		const done = await restoreBackup(file, target, cipher);
		expect(done).toMatchObject({ keptAside: null, migrationsApplied: 0, encrypted: true });

		for (const person of [...before, ...sentDuring]) {
			expect(await signsIn(target, person), person.reference).toBe(true);
		}
		// What the person told us opens with the data key, as it did before.
		const restored = openDatabase(target);
		const stories = restored.$client
			.prepare(
				'select r.account_sealed as account from referrals r join cases c on c.referral_id = r.id where c.reference = ?'
			)
			.pluck();
		for (const person of [...before, ...sentDuring]) {
			expect(cipher.decrypt(stories.get(person.reference) as string)).toBe(account);
		}
		// A referral sent after the backup finished is not in it: a backup is one moment.
		for (const person of after) expect(stories.get(person.reference)).toBeUndefined();
		restored.$client.close();
	});

	it('finishes while another process writes between every step', async () => {
		const [draft] = await drafts(1);
		const person = await submit(draft!);
		// Another connection (`npm run rekey`, say) writing restarts SQLite's copy each time.
		const elsewhere = openDatabase(dbPath);
		const touch = elsewhere.$client.prepare('update cases set updated_at = ? where reference = ?');
		let steps = 0;
		const file = join(folder, 'busy.backup');
		await writeBackup(db.$client, file, cipher, {
			pagesPerStep: 1,
			onStep: () => void touch.run(++steps, person.reference)
		});
		elsewhere.$client.close();
		const target = join(folder, 'busy.db');
		await restoreBackup(file, target, cipher);
		expect(await signsIn(target, person)).toBe(true);
	});

	it('is encrypted: nothing in the database is readable in the file', async () => {
		const [draft] = await drafts(1);
		await submit(draft!);
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		// Crime types, statuses and staff notices sit in clear columns of the database itself.
		expect(readFileSync(dbPath).includes('burglary')).toBe(true);
		const file = join(folder, 'clear.backup');
		await writeBackup(db.$client, file, cipher);
		const bytes = readFileSync(file);
		expect(bytes.subarray(0, 15).toString()).toBe('ONEDOOR-BACKUP\n');
		expect(bytes.includes('burglary')).toBe(false);
		expect(bytes.includes('SQLite format 3')).toBe(false);
		expect(bytes.includes('"keyId":"k1"')).toBe(true);
		// No plain copy is left behind, beside the database or the backup.
		expect(readdirSync(folder)).toEqual(['clear.backup']);
		expect(readdirSync(join(dbPath, '..')).filter((name) => name.includes('backup'))).toEqual([]);
	});

	it('never overwrites a file', async () => {
		const file = join(folder, 'taken.backup');
		writeFileSync(file, 'an earlier backup');
		await expect(writeBackup(db.$client, file, cipher)).rejects.toThrow(/already exists/);
		expect(readFileSync(file, 'utf8')).toBe('an earlier backup');
	});
});

describe('restoring', () => {
	let target: string;
	let existing: string;
	let file: string;
	let ours: { reference: string; passphrase: string };
	beforeEach(async () => {
		target = join(folder, 'live', 'onedoor.db');
		mkdirSync(join(folder, 'live'));
		existing = await databaseWithOneReferral(target);
		const [draft] = await drafts(1);
		ours = await submit(draft!);
		file = join(folder, 'good.backup');
		await writeBackup(db.$client, file, cipher);
	});

	/** Expects the restore to be refused with `message` and the live database untouched. */
	async function refused(promise: Promise<unknown>, message: RegExp) {
		await expect(promise).rejects.toThrow(BackupError);
		await expect(promise).rejects.toThrow(message);
		// The live database is still the one it was: its referral, not the backup's.
		const live = openDatabase(target);
		const references = live.$client.prepare('select reference from cases').pluck().all();
		live.$client.close();
		expect(references).toEqual([existing]);
		// Nothing left beside it (a running server's own -wal and -shm aside).
		const beside = readdirSync(join(folder, 'live')).filter((name) => !/-(wal|shm)$/.test(name));
		expect(beside).toEqual(['onedoor.db']);
	}

	it('replaces the database and keeps the one it replaced aside', async () => {
		const done = await restoreBackup(file, target, cipher, {
			now: new Date('2026-12-01T03:04:05Z')
		});
		expect(done.keptAside).toBe(`${target}.before-restore-2026-12-01T03-04-05Z`);
		expect(await signsIn(target, ours)).toBe(true);
		expect(await signsIn(target, { reference: existing, passphrase: passphraseOf(100) })).toBe(
			false
		);
		expect(
			await signsIn(done.keptAside!, { reference: existing, passphrase: passphraseOf(100) })
		).toBe(true);
		// Restored again in the same second, the first kept database is not overwritten.
		const again = await restoreBackup(file, target, cipher, {
			now: new Date('2026-12-01T03:04:05Z')
		});
		expect(again.keptAside).toBe(`${target}.before-restore-2026-12-01T03-04-05Z-2`);
		expect(
			await signsIn(done.keptAside!, { reference: existing, passphrase: passphraseOf(100) })
		).toBe(true);
	});

	it('with --check, checks everything and replaces nothing', async () => {
		const bytes = readFileSync(target);
		const done = await restoreBackup(file, target, cipher, { checkOnly: true });
		expect(done.keptAside).toBeNull();
		expect(readFileSync(target).equals(bytes)).toBe(true);
		expect(readdirSync(join(folder, 'live'))).toEqual(['onedoor.db']);
	});

	it('refuses while a server has the database open', async () => {
		const server = openDatabase(target);
		try {
			await refused(restoreBackup(file, target, cipher), /in use .*stop the server/);
		} finally {
			server.$client.close();
		}
	});

	it('refuses a file altered anywhere, cut short, or not a backup at all', async () => {
		const size = readFileSync(file).length;
		const altered = (at: number) => {
			const copy = join(folder, `altered-${at}.backup`);
			const bytes = readFileSync(file);
			bytes[at] = bytes[at]! ^ 1;
			writeFileSync(copy, bytes);
			return copy;
		};
		await refused(restoreBackup(altered(size >> 1), target, cipher), /damaged or altered/);
		await refused(restoreBackup(altered(size - 1), target, cipher), /damaged|altered/);
		// The header names the key and is bound into every part: changing it is caught too.
		const createdAt = readFileSync(file).indexOf('"createdAt":"') + 14;
		await refused(restoreBackup(altered(createdAt), target, cipher), /damaged or altered/);
		const short = join(folder, 'short.backup');
		cpSync(file, short);
		truncateSync(short, size - 100);
		await refused(restoreBackup(short, target, cipher), /incomplete|cut short/);
		const text = join(folder, 'notes.txt');
		writeFileSync(text, 'not a backup');
		await refused(restoreBackup(text, target, cipher), /is not a OneDoor backup/);
		await refused(restoreBackup(join(folder, 'nothing'), target, cipher), /There is no backup/);
	});

	it('refuses a file whose parts were dropped, cut at a part boundary, or swapped', async () => {
		// Small parts, so the database spans many: each part is [length][ciphertext][tag].
		const parted = join(folder, 'parted.backup');
		await writeBackup(db.$client, parted, cipher, { chunkSize: 4096 });
		const bytes = readFileSync(parted);
		const headerEnd = bytes.indexOf(10, 15) + 1;
		const parts: Buffer[] = [];
		for (let at = headerEnd; at < bytes.length;) {
			const end = at + 4 + bytes.readUInt32BE(at) + 16;
			parts.push(bytes.subarray(at, end));
			at = end;
		}
		expect(parts.length).toBeGreaterThan(10);
		const header = bytes.subarray(0, headerEnd);
		const variant = (name: string, chosen: Buffer[]) => {
			const path = join(folder, name);
			writeFileSync(path, Buffer.concat([header, ...chosen]));
			return path;
		};
		await refused(
			restoreBackup(variant('cut.backup', parts.slice(0, -1)), target, cipher),
			/cut short/
		);
		await refused(
			restoreBackup(variant('dropped.backup', [parts[0]!, ...parts.slice(2)]), target, cipher),
			/damaged or altered/
		);
		await refused(
			restoreBackup(
				variant('swapped.backup', [parts[1]!, parts[0]!, ...parts.slice(2)]),
				target,
				cipher
			),
			/damaged or altered/
		);
		await refused(
			restoreBackup(variant('extra.backup', [...parts, parts[0]!]), target, cipher),
			/damaged or altered/
		);
		// Put together as written, the same parts restore.
		expect((await restoreBackup(variant('whole.backup', parts), target, cipher)).encrypted).toBe(
			true
		);
	});

	it('refuses a file whose data key is not configured, or is a different key', async () => {
		const other = createCipher({ id: 'k2', key: randomBytes(32) });
		await refused(
			restoreBackup(file, target, other),
			/encrypted with data key "k1", which is neither DATA_KEY nor in DATA_KEYS_OLD/
		);
		const impostor = createCipher({ id: 'k1', key: randomBytes(32) });
		await refused(restoreBackup(file, target, impostor), /different key under the same id/);
	});

	it('opens a backup made before the data key was rotated, with the old key in DATA_KEYS_OLD', async () => {
		const rotated = createCipher({ id: 'k2', key: randomBytes(32) }, [{ id: 'k1', key: key1 }]);
		await restoreBackup(file, target, rotated);
		useCipher(rotated);
		expect(await signsIn(target, ours)).toBe(true);
	});

	it('restores a snapshot of a running server with its WAL, keeping what was acknowledged last', async () => {
		// A file-system snapshot is the database file and its -wal: what the server acknowledged
		// since its last checkpoint is only in the WAL.
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		db.$client.pragma('wal_autocheckpoint = 0');
		const [draft] = await drafts(1, 200);
		const person = await submit(draft!);
		const snapshot = join(folder, 'snapshot.db');
		cpSync(dbPath, snapshot);
		cpSync(`${dbPath}-wal`, `${snapshot}-wal`);
		const target = join(folder, 'live', 'onedoor.db');
		await restoreBackup(snapshot, target, cipher);
		// All in the restored file itself: no WAL of the snapshot's is left to lose.
		expect(existsSync(`${target}-wal`)).toBe(false);
		expect(await signsIn(target, person)).toBe(true);
	});

	it('refuses a plain database whose sealed values use a key that is not configured', async () => {
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		const plain = join(folder, 'copy.db');
		cpSync(dbPath, plain);
		const other = createCipher({ id: 'k2', key: randomBytes(32) });
		await refused(restoreBackup(plain, target, other), /sealed with data key "k1"/);
	});

	it('refuses a database from a newer version, and brings an older one up to date', async () => {
		db.$client.exec(
			"insert into __drizzle_migrations (hash, created_at) values ('from the future', 4102444800000)"
		);
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		const newer = join(folder, 'newer.db');
		cpSync(dbPath, newer);
		await refused(restoreBackup(newer, target, cipher), /newer \(or different\) version/);

		// A database made before migration 0014, which this version adds when it restores.
		const oldFolder = mkdtempSync(join(tmpdir(), 'onedoor-0013-'));
		cpSync('drizzle', oldFolder, { recursive: true });
		const journalPath = join(oldFolder, 'meta/_journal.json');
		const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
		const ours = journal.entries.length;
		journal.entries = journal.entries.filter((e: { tag: string }) => e.tag < '0014');
		writeFileSync(journalPath, JSON.stringify(journal));
		const older = openDatabase(join(oldFolder, 'old.db'));
		migrateDatabase(older, oldFolder);
		const backup = join(folder, 'older.backup');
		await writeBackup(older.$client, backup, cipher);
		older.$client.close();
		const done = await restoreBackup(backup, target, cipher);
		expect(done.migrationsApplied).toBe(ours - journal.entries.length);
		const restored = openDatabase(target);
		expect(restored.$client.prepare('select count(*) from audit_chain_anchor').pluck().get()).toBe(
			0
		);
		restored.$client.close();
	});
});

describe('scheduled backups', () => {
	it('keeps the newest BACKUP_KEEP and nothing else of the folder is touched', async () => {
		const settings = { dir: join(folder, 'scheduled'), everyMs: 3_600_000, keep: 3 };
		mkdirSync(settings.dir);
		writeFileSync(join(settings.dir, 'notes.txt'), 'the operator’s own file');
		for (let hour = 1; hour <= 5; hour++) {
			const now = new Date(`2026-12-01T0${hour}:00:00Z`);
			expect(await runScheduledBackup(settings, db, cipher, now, serverEnv())).toBe(true);
		}
		expect(readdirSync(settings.dir).sort()).toEqual([
			'notes.txt',
			'onedoor-2026-12-01T03-00-00Z.backup',
			'onedoor-2026-12-01T04-00-00Z.backup',
			'onedoor-2026-12-01T05-00-00Z.backup'
		]);
		// The next is due an hour after the newest, whenever the server (re)starts.
		expect(nextBackupDelay(settings.dir, 3_600_000, new Date('2026-12-01T05:20:00Z'))).toBe(
			40 * 60_000
		);
		expect(scheduledBackups(settings.dir).at(-1)?.at.toISOString()).toBe(
			'2026-12-01T05:00:00.000Z'
		);
		// Each one restores.
		const target = join(folder, 'from-schedule.db');
		await restoreBackup(join(settings.dir, 'onedoor-2026-12-01T03-00-00Z.backup'), target, cipher);
		expect(existsSync(target)).toBe(true);
	});

	it('refuses at start-up, naming BACKUP_DIR, a folder the server cannot write', () => {
		const file = join(folder, 'a-file');
		writeFileSync(file, '');
		const settings = { dir: join(file, 'backups'), everyMs: 3_600_000, keep: 3 };
		expect(() => startBackups(settings, db, cipher)).toThrow(ConfigError);
		expect(() => startBackups(settings, db, cipher)).toThrow(
			/^BACKUP_DIR must be a folder the server can write/
		);
		const stop = startBackups({ ...settings, dir: join(folder, 'made') }, db, cipher);
		expect(existsSync(join(folder, 'made'))).toBe(true);
		stop();
	});

	it('deletes a plain copy an interrupted backup left beside the database a day ago', async () => {
		const beside = (name: string) => join(dbPath, '..', name);
		const stale = beside('.test.db.backup-0123456789ab');
		const fresh = beside('.test.db.restoring-ba9876543210');
		const operators = beside('.test.db.backup-notes');
		for (const path of [stale, fresh, operators]) writeFileSync(path, 'SQLite format 3');
		const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
		utimesSync(stale, twoDaysAgo, twoDaysAgo);
		utimesSync(operators, twoDaysAgo, twoDaysAgo);
		const settings = { dir: join(folder, 'scheduled'), everyMs: 3_600_000, keep: 3 };
		mkdirSync(settings.dir);
		expect(await runScheduledBackup(settings, db, cipher, new Date(), serverEnv())).toBe(true);
		expect([stale, fresh, operators].map((path) => existsSync(path))).toEqual([false, true, true]);
	});

	it('sets aside a backup that fails its restore check, and deletes no older one', async () => {
		const settings = { dir: join(folder, 'scheduled'), everyMs: 3_600_000, keep: 1 };
		mkdirSync(settings.dir);
		const first = new Date('2026-12-01T01:00:00Z');
		expect(await runScheduledBackup(settings, db, cipher, first, serverEnv())).toBe(true);
		// The server's environment no longer holds the key the backups are made under (a key
		// swapped without DATA_KEYS_OLD): such a backup could never be restored.
		const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		const other = { ...serverEnv(), DATA_KEY: `k1:${randomBytes(32).toString('base64')}` };
		const second = new Date('2026-12-01T02:00:00Z');
		expect(await runScheduledBackup(settings, db, cipher, second, other)).toBe(false);
		expect(readdirSync(settings.dir).sort()).toEqual([
			'onedoor-2026-12-01T01-00-00Z.backup',
			'onedoor-2026-12-01T02-00-00Z.backup.failed'
		]);
		expect(errors).toHaveBeenCalledTimes(1);
		expect(String(errors.mock.calls[0]![0])).toMatch(
			/^OneDoor backup failed: the new backup failed its restore check \(.*configured as "k1": it is a different key under the same id.*\); it is kept as "onedoor-2026-12-01T02-00-00Z\.backup\.failed" and no older backup was deleted\.$/
		);
		// Nothing unencrypted was left, beside the database or among the backups.
		expect(readdirSync(join(dbPath, '..')).filter((name) => name.startsWith('.'))).toEqual([]);
		// Failing every time keeps only the latest failure, so the disk does not fill.
		const again = new Date('2026-12-01T02:30:00Z');
		expect(await runScheduledBackup(settings, db, cipher, again, other)).toBe(false);
		expect(readdirSync(settings.dir).sort()).toEqual([
			'onedoor-2026-12-01T01-00-00Z.backup',
			'onedoor-2026-12-01T02-30-00Z.backup.failed'
		]);
		// The next good one replaces the first as usual.
		const third = new Date('2026-12-01T03:00:00Z');
		expect(await runScheduledBackup(settings, db, cipher, third, serverEnv())).toBe(true);
		expect(scheduledBackups(settings.dir).map((backup) => backup.name)).toEqual([
			'onedoor-2026-12-01T03-00-00Z.backup'
		]);
	});

	it('gives up on a restore check that does not finish', async () => {
		const file = join(folder, 'slow.backup');
		await writeBackup(db.$client, file, cipher);
		expect(await checkBackup(file, serverEnv(), 1)).toBe('the check did not finish within 1 ms');
		expect(await checkBackup(file, serverEnv())).toBeNull();
	});

	it('logs a failure in one line and carries on', async () => {
		const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		const settings = { dir: join(folder, 'gone'), everyMs: 3_600_000, keep: 3 };
		expect(await runScheduledBackup(settings, db, cipher)).toBe(false);
		expect(errors).toHaveBeenCalledTimes(1);
		expect(String(errors.mock.calls[0]![0])).toMatch(/^OneDoor backup failed: [^\n]+$/);
	});
});

describe('npm run backup and npm run restore', () => {
	it('back up a database and restore it, and refuse a damaged file with exit code 1', async () => {
		// The scripts run with the server's environment: its DATA_KEY and DATABASE_PATH.
		const bytesOfKey = randomBytes(32);
		const key = 'ops:' + bytesOfKey.toString('base64');
		useCipher(createCipher({ id: 'ops', key: bytesOfKey }));
		const [draft] = await drafts(1);
		const person = await submit(draft!);
		db.$client.close();
		const live = dbPath;

		const env = { ...process.env, DATA_KEY: key, DATABASE_PATH: live, NODE_ENV: 'test' };
		const file = join(folder, 'ops.backup');
		const backedUp = execFileSync('node', ['scripts/backup.js', file], { env, encoding: 'utf8' });
		expect(backedUp).toMatch(/^Backed up .* encrypted with data key "ops"/);

		const damaged = join(folder, 'damaged.backup');
		const bytes = readFileSync(file);
		bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 1;
		writeFileSync(damaged, bytes);
		const refused = spawnSync('node', ['scripts/restore.js', damaged], { env, encoding: 'utf8' });
		expect(refused.status).toBe(1);
		expect(refused.stderr.trim()).toMatch(/^OneDoor cannot restore: .*Nothing was replaced\.$/);

		const restored = execFileSync('node', ['scripts/restore.js', file], {
			env,
			encoding: 'utf8'
		});
		expect(restored).toMatch(/^Restored .* kept at ".*before-restore-/);
		expect(await signsIn(live, person)).toBe(true);
	});
});
