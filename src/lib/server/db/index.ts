import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema';
import { reuseStatements } from './statements';

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
	// A statement inside a transaction keeps the pages it changes in a statement journal, to undo
	// itself alone; past 64 KiB SQLite spills that journal to a temporary file it creates and
	// deletes again. Sending a referral, whose sealed answers reuse the pages a deleted draft
	// freed, did so about one time in eight (a millisecond each on the server's thread). Kept in
	// memory, with sorts and temporary tables, which OneDoor keeps small (every list is paged).
	sqlite.pragma('temp_store = MEMORY');
	// FULL syncs the WAL at every commit: with NORMAL a power cut can undo the last commits, and
	// "we have your referral" must stay true (DESIGN rule 9). It costs a fraction of a
	// millisecond per commit here (`node scripts/bench/durability.js`, a row in `npm run bench`).
	// The server's own connection syncs once per request instead (`groupCommits`, durability.ts).
	sqlite.pragma('synchronous = FULL');
	const db = drizzle(sqlite, { schema }) as Db;
	// A transaction takes the write lock as it begins, not at its first write. A deferred one that
	// reads first and then writes fails at once with SQLITE_BUSY_SNAPSHOT, busy timeout or not, if
	// another connection (a script beside the server, a test's factory) committed in between: a
	// sign-in or a reset would answer with an error page. Taken first, the lock is waited for.
	const begin = db.transaction.bind(db);
	db.transaction = ((work, config) =>
		begin(work, { behavior: 'immediate', ...config })) as Db['transaction'];
	reuseStatements(db, sqlite);
	return db;
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

/** True for SQLite's "database is locked" (another writer holds it): what `withoutWaiting` throws. */
export function isLocked(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/**
 * Runs `work` with the database's busy wait off: a write that finds the database locked (a
 * script holding it) fails at once instead of after seconds. For the quick exit, which must
 * never keep a person waiting on anything but leaving.
 */
export function withoutWaiting<T>(db: Db, work: () => T): T {
	const sqlite = db.$client;
	const waits = sqlite.pragma('busy_timeout', { simple: true }) as number;
	sqlite.pragma('busy_timeout = 0');
	try {
		return work();
	} finally {
		sqlite.pragma(`busy_timeout = ${waits}`);
	}
}

export { durably, flush, flushingAfter, groupCommits, syncCount, unflushed } from './durability';

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
