// When commits reach the disk. A commit in WAL mode is safe from the server crashing at once; it
// is safe from a power cut only once the WAL file is synced. With `synchronous = FULL` SQLite
// syncs inside every commit, on the one thread every request shares: each write then holds every
// other request for as long as the disk takes (0.4 ms on the bench machine's disk, several on a
// cloud volume; a referral's commit under load was 3.8 ms, 11% of the server's time). The
// server's own connection instead commits with NORMAL and syncs the WAL in the thread pool before
// a request that wrote gets its answer (`flushingAfter`, in hooks.server.ts), one sync shared by
// every commit waiting for one (a group commit). Nobody is told "sent" or "saved" before their
// words are on disk; other requests may read them a moment before that.
import type Database from 'better-sqlite3';
import { close, fdatasync, open } from 'node:fs';
import { promisify } from 'node:util';
import type { Db } from './index';

/** Connections whose commits `flush` makes durable, rather than each commit itself. */
const grouped = new WeakSet<Database.Database>();

/**
 * Per connection: the sync of its WAL file under way, the one queued after it, how many have
 * been made, its `total_changes()` query, and the count of changes the last finished sync
 * covered (every commit up to that count is on disk).
 */
type Wal = {
	running?: Promise<boolean>;
	queued?: Promise<boolean>;
	runningCovers: number;
	syncs: number;
	changes: Database.Statement;
	covered: number;
	/** Changes made through `unflushed` on a grouped connection: no request waits for them. */
	spared: number;
	/** A grouped connection's WAL file, held open while the server runs (`syncWal`). */
	fd?: number;
};
const wals = new WeakMap<Database.Database, Wal>();

function walOf(sqlite: Database.Database): Wal {
	let wal = wals.get(sqlite);
	if (!wal) {
		wal = {
			syncs: 0,
			changes: sqlite.prepare('select total_changes()').pluck(),
			covered: -1,
			runningCovers: -1,
			spared: 0
		};
		wals.set(sqlite, wal);
	}
	return wal;
}

/**
 * Makes this connection's commits durable by `flush` instead of inside each commit: for the
 * server's connection, whose requests all pass through `flushingAfter`.
 */
export function groupCommits(db: Db): void {
	const wal = walOf(db.$client);
	// Whatever was committed before was synced inside its commit (FULL).
	wal.covered = wal.changes.get() as number;
	db.$client.exec('PRAGMA synchronous = NORMAL');
	grouped.add(db.$client);
}

/**
 * Runs `write` with its commit not flushed to disk. Only for a write a power cut may undo without
 * anyone losing what they were told is kept: a referral's draft steps (the person is still on the
 * form; the referral itself is flushed, and in WAL mode that flush makes every earlier commit
 * durable too). SQLite stays consistent either way. On a connection that syncs each commit
 * (FULL), this commit is not synced; on the server's (`groupCommits`), the request that made it
 * does not wait for a sync (`flushingAfter`): a step of the referral form is answered at once,
 * and ten steps cost the disk one sync, the referral's, not eleven. Nothing else can write in
 * between: the driver is synchronous and Node runs one piece of JavaScript at a time.
 */
export function unflushed<T>(db: Db, write: () => T): T {
	const sqlite = db.$client;
	// Inside a transaction the setting cannot change (nor matter: the outer commit is the one).
	if (sqlite.inTransaction) return write();
	if (grouped.has(sqlite)) {
		const wal = walOf(sqlite);
		const before = wal.changes.get() as number;
		try {
			return write();
		} finally {
			wal.spared += (wal.changes.get() as number) - before;
		}
	}
	// `exec`, not a statement prepared once: SQLite applies this pragma as it compiles it.
	sqlite.exec('PRAGMA synchronous = NORMAL');
	try {
		return write();
	} finally {
		sqlite.exec('PRAGMA synchronous = FULL');
	}
}

const openFile = promisify(open);
const syncFile = promisify(fdatasync);
const closeFile = promisify(close);

/**
 * Syncs the connection's WAL file in the thread pool. The server's connection (grouped) keeps
 * the file open: every trip to the thread pool costs the server's thread a wake-up of another
 * thread, and opening and closing the file for each sync took three trips, not one. SQLite
 * keeps a WAL file in place while a connection is open (it truncates it, never replaces it).
 */
async function syncWal(sqlite: Database.Database, wal: Wal): Promise<void> {
	const path = `${sqlite.name}-wal`;
	if (!grouped.has(sqlite)) {
		const fd = await openFile(path, 'r');
		try {
			await syncFile(fd);
		} finally {
			await closeFile(fd);
		}
		return;
	}
	wal.fd ??= await openFile(path, 'r');
	const fd = wal.fd;
	try {
		await syncFile(fd);
	} catch (error) {
		// Opened again for the next sync; this one falls back to a checkpoint (`flush`).
		if (wal.fd === fd) wal.fd = undefined;
		await closeFile(fd).catch(() => undefined);
		throw error;
	}
}

/** One sync of the WAL file in the thread pool; false when there is no WAL file to sync. */
function startSync(sqlite: Database.Database, wal: Wal): Promise<boolean> {
	const covers = wal.changes.get() as number;
	const running = syncWal(sqlite, wal)
		.then(() => {
			wal.syncs++;
			wal.covered = Math.max(wal.covered, covers);
			return true;
		})
		.catch(() => false);
	wal.running = running;
	wal.runningCovers = covers;
	void running.then(() => {
		if (wal.running === running) wal.running = undefined;
	});
	return running;
}

/**
 * Resolves once every commit made so far on this connection is on disk. Callers waiting at once
 * share one sync of the WAL file. A sync already under way may have begun before the caller's
 * commit, so the caller waits for the next one, which everyone who arrives meanwhile shares.
 * Should the WAL file fail to open or sync, a checkpoint copies the commits into the database
 * file and syncs that instead. A memory database has nothing to flush.
 */
export async function flush(db: Db): Promise<void> {
	const sqlite = db.$client;
	if (sqlite.memory) return;
	const wal = walOf(sqlite);
	const now = wal.changes.get() as number;
	// Nothing committed since the last finished sync began: it covered everything.
	if (wal.covered >= now) return;
	let synced: Promise<boolean>;
	if (!wal.running) synced = startSync(sqlite, wal);
	// The sync under way began after the last commit: it covers the caller's.
	else if (wal.runningCovers >= now) synced = wal.running;
	else {
		const running = wal.running;
		synced = wal.queued ??= running.then(() => {
			wal.queued = undefined;
			return startSync(sqlite, wal);
		});
	}
	if (!(await synced)) sqlite.pragma('wal_checkpoint(FULL)');
}

/** Runs `write` and resolves once its commit is on disk, without holding other requests meanwhile. */
export async function durably<T>(db: Db, write: () => T): Promise<T> {
	if (db.$client.memory) return write();
	// Committed without a sync of its own (the server's connection never has one), then flushed.
	const result = grouped.has(db.$client) ? write() : unflushed(db, write);
	await flush(db);
	return result;
}

/**
 * Runs `work` and, if anything was committed on this connection meanwhile, resolves only once it
 * is on disk: around every request (hooks.server.ts) and every turn of a background worker.
 */
export async function flushingAfter<T>(db: Db, work: () => Promise<T>): Promise<T> {
	const wal = walOf(db.$client);
	const before = wal.changes.get() as number;
	const spared = wal.spared;
	const result = await work();
	// Other requests' commits made meanwhile count too (their flush covers ours, or ours theirs);
	// only what was written `unflushed` is left out.
	const made = (wal.changes.get() as number) - before - (wal.spared - spared);
	if (made > 0) await flush(db);
	return result;
}

/** How many times this connection's WAL file has been synced by `flush`. */
export function syncCount(db: Db): number {
	return walOf(db.$client).syncs;
}
