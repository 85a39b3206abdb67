// Plain JavaScript so that `npm run backup` and `npm run restore` (scripts/) and the server's own
// scheduled backups (backup-schedule.ts) take and check backups the same way. A backup is the
// database copied with SQLite's online backup API and encrypted whole (backup-file.js).
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { copyFile, open } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { DataKeyError } from '../crypto/cipher.js';
import { checkSealedKeys } from '../crypto/rotation.js';
import {
	BackupError,
	decryptFile,
	defaultChunkSize,
	encryptFile,
	fileTime
} from './backup-file.js';
import { magic, sqliteMagic, syncPath } from './backup-file.js';

export { BackupError, fileTime };

/** @typedef {import('../crypto/cipher.js').Cipher} Cipher */
/** @typedef {import('better-sqlite3').Database} Sqlite */

// Every page at once: one step is one read transaction, so a writer elsewhere cannot restart it.
const allPages = 0x7fffffff;

/**
 * Copies the open database with SQLite's online backup API, safe while the server runs, and
 * writes it encrypted under the cipher's current data key to `file`. The plain copy exists only
 * for the moment it is encrypted, beside the database (which holds the same in the clear).
 * `pagesPerStep` keeps a running server's event loop free between steps; the server's own writes
 * reach the copy as they happen, while a write by another process restarts it (SQLite's rule), so
 * a copy restarted again and again finishes in one step. The scripts copy in one step.
 * @param {Sqlite} sqlite
 * @param {string} file
 * @param {Cipher} cipher
 * @param {{ pagesPerStep?: number, onStep?: (progress: { totalPages: number, remainingPages: number }) => void, now?: Date, chunkSize?: number }} [options]
 * @returns {Promise<{ file: string, bytes: number, keyId: string }>}
 */
export async function writeBackup(sqlite, file, cipher, options = {}) {
	const {
		pagesPerStep = allPages,
		onStep,
		now = new Date(),
		chunkSize = defaultChunkSize
	} = options;
	if (!sqlite.name || sqlite.memory)
		throw new BackupError('Only a database file can be backed up.');
	if (existsSync(file)) {
		throw new BackupError(`"${file}" already exists: a backup never overwrites a file.`);
	}
	if (!existsSync(dirname(resolve(file)))) {
		throw new BackupError(`The folder for "${file}" does not exist.`);
	}
	const plain = join(
		dirname(resolve(sqlite.name)),
		`.${basename(sqlite.name)}.backup-${randomBytes(6).toString('hex')}`
	);
	try {
		const pages = Math.max(1, Math.min(pagesPerStep, allPages));
		let steps = 0;
		await sqlite.backup(plain, {
			progress(progress) {
				onStep?.(progress);
				// Twice the steps a copy needs means another process's writes keep restarting it.
				const restarting = ++steps > 2 * Math.ceil(progress.totalPages / pages) + 10;
				return restarting ? allPages : pages;
			}
		});
		const written = await encryptFile(plain, file, cipher, now, chunkSize);
		return { file, bytes: written.bytes, keyId: written.header.keyId };
	} finally {
		rmSync(plain, { force: true });
		rmSync(`${plain}-journal`, { force: true });
	}
}

/**
 * Refuses when another connection (a running server) has the database file open. Switching a WAL
 * database to rollback mode needs every other connection gone, so SQLite answers SQLITE_BUSY at
 * once while a server holds it; otherwise it also folds the WAL into the file, so the file alone
 * is the whole database. A file SQLite cannot open at all (damaged: perhaps why we restore) is
 * left as it is.
 * @param {string} path
 */
function refuseIfOpen(path) {
	if (!existsSync(path)) return;
	let sqlite;
	try {
		sqlite = new Database(path, { fileMustExist: true, timeout: 0 });
		sqlite.pragma('journal_mode = DELETE');
	} catch (error) {
		if (/** @type {{ code?: string }} */ (error).code?.startsWith('SQLITE_BUSY')) {
			throw new BackupError(
				`The database at "${path}" is in use (is the OneDoor server running?): stop the server, then restore.`
			);
		}
	} finally {
		sqlite?.close();
	}
}

/**
 * Checks a restored copy: SQLite's integrity check, then that its migrations are ours (older is
 * fine and they are applied now; newer is refused), then that every sealed value's key is
 * configured and opens it.
 * @param {string} plain
 * @param {Cipher} cipher
 * @param {string} migrationsFolder
 * @param {string[]} erased the case ids the erasure ledger names
 * @returns {{ migrationsApplied: number, toErase: number }} how many of our migrations it lacked
 *   (applied now), and how many of the `erased` cases it holds whole
 */
function checkCopy(plain, cipher, migrationsFolder, erased) {
	let sqlite;
	try {
		sqlite = new Database(plain, { fileMustExist: true });
	} catch {
		throw new BackupError('The backup does not hold a SQLite database: it cannot be restored.');
	}
	try {
		/** @type {string[]} */
		let problems;
		try {
			problems = /** @type {string[]} */ (sqlite.prepare('pragma integrity_check').pluck().all());
		} catch {
			problems = ['unreadable'];
		}
		if (problems.length !== 1 || problems[0] !== 'ok') {
			throw new BackupError(
				"The backup's database fails SQLite's integrity check: it is damaged and cannot be restored."
			);
		}
		const hasMigrations = sqlite
			.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'")
			.get();
		if (!hasMigrations) {
			throw new BackupError('The backup does not hold a OneDoor database: it has no migrations.');
		}
		const applied = /** @type {number[]} */ (
			sqlite
				.prepare('select created_at from __drizzle_migrations order by created_at, id')
				.pluck()
				.all()
				.map(Number)
		);
		const ours = readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis);
		// drizzle applies what is newer than the last applied migration, by its time: those times
		// must be our first ones, in order, or the file came from another (newer) version.
		const prefix = applied.every((when, i) => ours[i] === when);
		if (!prefix) {
			throw new BackupError(
				'The backup was made by a newer (or different) version of OneDoor, whose database this version does not know: restore it with that version.'
			);
		}
		migrate(drizzle(sqlite), { migrationsFolder });
		try {
			checkSealedKeys(sqlite, cipher);
		} catch (error) {
			if (error instanceof DataKeyError) throw new BackupError(`In the backup: ${error.message}`);
			throw error;
		}
		// Everything in the copy's WAL (a snapshot's) into the file itself: only the file is kept.
		sqlite.pragma('wal_checkpoint(TRUNCATE)');
		let toErase = 0;
		for (let i = 0; i < erased.length; i += 500) {
			const batch = erased.slice(i, i + 500);
			toErase += /** @type {number} */ (
				sqlite
					.prepare(
						`select count(*) from cases where anonymised_at is null and id in (${batch.map(() => '?').join(',')})`
					)
					.pluck()
					.get(...batch)
			);
		}
		return { migrationsApplied: ours.length - applied.length, toErase };
	} finally {
		sqlite.close();
	}
}

/**
 * Restores the backup `file` (or a plain copy of a OneDoor database) to `target`: it is
 * decrypted to a file beside the target and checked (integrity, migrations, data keys) before
 * anything is touched; then the database at `target` is kept aside as
 * `<target>.before-restore-<time>` and the checked copy takes its name in one rename. With
 * `checkOnly`, everything but the replacement is done: a test of the backup.
 * @param {string} file
 * @param {string} target
 * @param {Cipher} cipher
 * `erased` (the case ids in the erasure ledger) answers `toErase`: how many of those cases the
 * backup still holds whole, which the server erases again as it starts.
 * @param {{ migrationsFolder?: string, checkOnly?: boolean, now?: Date, erased?: string[] }} [options]
 * @returns {Promise<{ keptAside: string | null, createdAt: string | null, migrationsApplied: number, toErase: number, encrypted: boolean }>}
 */
export async function restoreBackup(file, target, cipher, options = {}) {
	const {
		migrationsFolder = 'drizzle',
		checkOnly = false,
		now = new Date(),
		erased = []
	} = options;
	if (!existsSync(file) || !statSync(file).isFile()) {
		throw new BackupError(`There is no backup file at "${file}".`);
	}
	if (resolve(file) === resolve(target)) {
		throw new BackupError('The backup file is the database itself: name a backup file.');
	}
	if (!checkOnly) refuseIfOpen(target);
	const directory = dirname(resolve(target));
	mkdirSync(directory, { recursive: true });
	const plain = join(directory, `.${basename(target)}.restoring-${randomBytes(6).toString('hex')}`);
	try {
		const start = Buffer.alloc(sqliteMagic.length);
		const handle = await open(file, 'r');
		await handle.read(start, 0, start.length, 0).finally(() => handle.close());
		/** @type {string | null} */
		let createdAt = null;
		const encrypted = start.subarray(0, magic.length).equals(magic);
		if (encrypted) {
			createdAt = (await decryptFile(file, plain, cipher)).createdAt;
		} else if (start.equals(sqliteMagic)) {
			await copyFile(file, plain);
			// A snapshot of a running server is the file and its WAL, and the latest commits (the
			// referrals and messages acknowledged since the last checkpoint) are only in the WAL:
			// it comes too, and is folded into the copy before the copy is checked.
			if (existsSync(`${file}-wal`)) await copyFile(`${file}-wal`, `${plain}-wal`);
		} else {
			throw new BackupError(`"${file}" is not a OneDoor backup.`);
		}
		const { migrationsApplied, toErase } = checkCopy(plain, cipher, migrationsFolder, erased);
		if (checkOnly) return { keptAside: null, createdAt, migrationsApplied, toErase, encrypted };

		// Checked: only now is anything at `target` touched. Once more, in case a server started.
		refuseIfOpen(target);
		/** @type {string | null} */
		let keptAside = null;
		if (existsSync(target)) {
			keptAside = `${target}.before-restore-${fileTime(now)}`;
			// Two restores in one second must not overwrite the first one's kept database.
			for (let n = 2; existsSync(keptAside); n++) {
				keptAside = `${target}.before-restore-${fileTime(now)}-${n}`;
			}
			renameSync(target, keptAside);
		}
		// A WAL or shared-memory file left by the old database would be read as the new one's.
		for (const suffix of ['-wal', '-shm', '-journal']) {
			if (!existsSync(target + suffix)) continue;
			if (keptAside) renameSync(target + suffix, keptAside + suffix);
			else rmSync(target + suffix);
		}
		syncPath(plain);
		renameSync(plain, target);
		syncPath(directory);
		return { keptAside, createdAt, migrationsApplied, toErase, encrypted };
	} finally {
		rmSync(plain, { force: true });
		for (const suffix of ['-wal', '-shm', '-journal']) rmSync(plain + suffix, { force: true });
	}
}

/**
 * Deletes plain copies a backup or restore left beside the database when it was stopped part way
 * (a power cut): they hold the database unencrypted. Only ones a day old, which nothing still
 * running can be using.
 * @param {string} database
 * @param {Date} now
 */
export function removeStaleCopies(database, now) {
	const directory = dirname(resolve(database));
	const ours = new RegExp(
		`^\\.${basename(database).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(backup|restoring)-[0-9a-f]{12}(-wal|-shm|-journal)?$`
	);
	for (const name of readdirSync(directory)) {
		const path = join(directory, name);
		if (ours.test(name) && now.getTime() - statSync(path).mtimeMs > 86_400_000) rmSync(path);
	}
}

/** Scheduled backups are named for when they were taken: onedoor-2026-12-01T08-37-20Z.backup. */
const scheduledName = /^onedoor-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)\.backup$/;

/**
 * The scheduled backups in `directory`, oldest first.
 * @param {string} directory
 * @returns {{ name: string, at: Date }[]}
 */
export function scheduledBackups(directory) {
	if (!existsSync(directory)) return [];
	return readdirSync(directory)
		.filter((name) => scheduledName.test(name))
		.sort()
		.map((name) => {
			const time = /** @type {string} */ (scheduledName.exec(name)?.[1]);
			const [day, clock] = /** @type {[string, string]} */ (time.split('T'));
			return { name, at: new Date(`${day}T${clock.replaceAll('-', ':')}`) };
		});
}

/**
 * Takes one scheduled backup into `directory` and deletes the oldest beyond `keep` (and any
 * half-written one a stopped server left). Only files named as scheduled backups are touched.
 * @param {Sqlite} sqlite
 * @param {string} directory
 * @param {Cipher} cipher
 * With `check`, the new backup is checked before any older one is deleted: a sentence saying
 * what is wrong sets it aside as `<name>.failed`, deletes nothing, and throws.
 * @param {{ keep: number, pagesPerStep?: number, now?: Date, check?: (file: string) => Promise<string | null> }} options
 * @returns {Promise<{ file: string, removed: string[] }>}
 */
export async function backupInto(sqlite, directory, cipher, options) {
	const now = options.now ?? new Date();
	removeStaleCopies(sqlite.name, now);
	const file = join(directory, `onedoor-${fileTime(now)}.backup`);
	await writeBackup(sqlite, file, cipher, { now, pagesPerStep: options.pagesPerStep ?? 256 });
	const problem = options.check ? await options.check(file) : null;
	if (problem) {
		// One failed backup is kept to look into; a failure every BACKUP_EVERY must not fill the disk.
		for (const name of readdirSync(directory)) {
			const failed = /^(.*)\.failed$/.exec(name);
			if (failed?.[1] && scheduledName.test(failed[1])) rmSync(join(directory, name));
		}
		renameSync(file, `${file}.failed`);
		throw new BackupError(
			`the new backup failed its restore check (${problem}); it is kept as "${basename(file)}.failed" and no older backup was deleted.`
		);
	}
	const removed = [];
	for (const name of readdirSync(directory)) {
		const partial = /^(.*)\.partial$/.exec(name);
		if (partial?.[1] && scheduledName.test(partial[1])) rmSync(join(directory, name));
	}
	const kept = scheduledBackups(directory);
	for (const { name } of kept.slice(0, Math.max(0, kept.length - options.keep))) {
		rmSync(join(directory, name));
		removed.push(name);
	}
	return { file, removed };
}

/**
 * How long until the next scheduled backup is due: `every` after the newest one in `directory`
 * (so a restart neither skips nor repeats one), or now when there is none.
 * @param {string} directory
 * @param {number} everyMs
 * @param {Date} [now]
 */
export function nextBackupDelay(directory, everyMs, now = new Date()) {
	const newest = scheduledBackups(directory).at(-1);
	if (!newest) return 0;
	return Math.min(everyMs, Math.max(0, newest.at.getTime() + everyMs - now.getTime()));
}
