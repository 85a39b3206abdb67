import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Opens (creating if needed) the SQLite file with the pragmas OneDoor relies on. */
export function openDatabase(path: string): Db {
	if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
	const sqlite = new Database(path);
	// WAL lets readers carry on while a referral is written; the busy timeout waits out a writer
	// instead of failing with SQLITE_BUSY; foreign keys are off by default in SQLite.
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	// FULL syncs the WAL at every commit: with NORMAL a power cut can undo the last commits, and
	// "we have your referral" must stay true (DESIGN rule 9). It costs a fraction of a
	// millisecond per commit here (`node scripts/bench/durability.js`, a row in `npm run bench`).
	sqlite.pragma('synchronous = FULL');
	return drizzle(sqlite, { schema }) as Db;
}

/** Applies the committed migrations in `drizzle/` (or `MIGRATIONS_DIR`). */
export function migrateDatabase(db: Db, folder = process.env.MIGRATIONS_DIR ?? 'drizzle'): void {
	migrate(db, { migrationsFolder: resolve(folder) });
}

/**
 * Keeps the query planner's statistics (`sqlite_stat1`) in step with the data, as SQLite
 * advises for a long-lived connection: without them it reads a name search's few hundred cases
 * by scanning 90,000 closed ones in queue order (38 ms against 2 ms, measured at 100,000 cases).
 * Only tables whose size has changed a lot since their last analysis are looked at again, and
 * `analysis_limit` samples rather than reads each index, so this costs milliseconds once the
 * statistics exist (about 0.3 s the first time at 100,000 cases). Run at start and by the sweeper.
 */
export function optimizeDatabase(db: Db): void {
	db.$client.pragma('analysis_limit = 1000');
	db.$client.pragma('optimize = 0x10002');
}

/**
 * A query built once per database and run many times with `sql.placeholder` values. Drizzle
 * builds a query's SQL text every time it runs (a tenth of a signed-in page's time, measured on
 * `/my`): the queries every signed-in request makes are built once here instead.
 */
export function prepared<Q>(build: (db: Db) => Q): () => Q {
	const made = new WeakMap<Db, Q>();
	return () => {
		const db = database();
		let query = made.get(db);
		if (!query) made.set(db, (query = build(db)));
		return query;
	};
}

/**
 * Runs `write` with its commit not flushed to disk, then flushes again as always. Only for a
 * write a power cut may undo without anyone losing what they were told is kept: a referral's
 * draft steps (the person is still on the form; the referral is committed with a flush, and in
 * WAL mode that flush makes every earlier commit durable too). SQLite stays consistent either
 * way. Measured at 100,000 cases: a referral is eleven writes, and flushing each one of them
 * took complete referrals from 45.7/s to 27.2/s. Nothing else can write in between: the
 * driver is synchronous and Node runs one piece of JavaScript at a time.
 */
export function unflushed<T>(db: Db, write: () => T): T {
	// `exec`, not a statement prepared once: SQLite applies this pragma as it compiles it.
	db.$client.exec('PRAGMA synchronous = NORMAL');
	try {
		return write();
	} finally {
		db.$client.exec('PRAGMA synchronous = FULL');
	}
}

/** Per connection: the sync of its WAL file under way, and the one queued after it. */
type Wal = { running?: Promise<boolean>; queued?: Promise<boolean> };
const wals = new WeakMap<Database.Database, Wal>();

/** One sync of the WAL file in the thread pool; false when there is no WAL file to sync. */
function startSync(sqlite: Database.Database, wal: Wal): Promise<boolean> {
	const running = (async () => {
		const file = await open(`${sqlite.name}-wal`, 'r');
		try {
			await file.datasync();
		} finally {
			await file.close();
		}
		return true;
	})().catch(() => false);
	wal.running = running;
	void running.then(() => {
		if (wal.running === running) wal.running = undefined;
	});
	return running;
}

/**
 * Syncs the WAL file to disk; commits waiting at once share one sync (a group commit). A sync
 * already under way may have begun before the caller's commit, so the caller waits for the
 * next one, which everyone who arrives meanwhile shares.
 */
function syncWal(sqlite: Database.Database): Promise<boolean> {
	let wal = wals.get(sqlite);
	if (!wal) wals.set(sqlite, (wal = {}));
	const { running } = wal;
	if (!running) return startSync(sqlite, wal);
	wal.queued ??= running.then(() => {
		wal.queued = undefined;
		return startSync(sqlite, wal);
	});
	return wal.queued;
}

/**
 * Runs `write` and resolves once its commit is on disk, as with `synchronous = FULL`, without
 * holding every other request while the disk syncs: the commit is made unflushed (WAL mode,
 * NORMAL), then the WAL file is synced in the thread pool, one sync shared by every commit
 * waiting for one. FULL does exactly that sync inside the commit, on the one thread all requests
 * share: a referral's was 3.8 ms of the server's time under load at 100,000 cases (a profile
 * of `npm run bench`'s referral test). Await it before telling anyone their words are kept.
 * Other requests may read the rows before the sync ends; nobody has been told they are kept.
 * A memory database has nothing to flush. Should the WAL file fail to open or sync, a FULL
 * checkpoint copies the commit into the database file and syncs that instead.
 */
export async function durably<T>(db: Db, write: () => T): Promise<T> {
	const sqlite = db.$client;
	if (sqlite.memory) return write();
	const result = unflushed(db, write);
	if (!(await syncWal(sqlite))) sqlite.pragma('wal_checkpoint(FULL)');
	return result;
}

let current: Db | undefined;

/** Makes `db` the database every domain module uses (the server's start-up, or a test). */
export function useDatabase(db: Db): Db {
	current = db;
	return db;
}

/** The database the server was started with. */
export function database(): Db {
	if (!current) throw new Error('The database is not open yet: the init hook opens it.');
	return current;
}

export { schema };
