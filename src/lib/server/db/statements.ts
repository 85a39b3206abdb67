import type Database from 'better-sqlite3';
import { PreparedQuery } from 'drizzle-orm/better-sqlite3/session';

/** How many SQL texts keep a statement: every query shape OneDoor has, with room to spare. */
const kept = 1000;

type Args = ConstructorParameters<typeof PreparedQuery>;

/** The part of drizzle's session (internal to drizzle 0.45) that prepares a query for one run. */
type OneTimeSession = {
	logger: Args[2];
	cache: Args[3];
	prepareOneTimeQuery: (
		query: Args[1],
		fields: Args[6],
		executeMethod: Args[7],
		isResponseInArrayMode: Args[8],
		customResultMapper?: Args[9],
		queryMetadata?: Args[4],
		cacheConfig?: Args[5]
	) => PreparedQuery<never>;
};

/**
 * Makes the queries drizzle's query builder runs once (`tx.insert(…).values(…).run()`) reuse one
 * SQLite statement per SQL text, instead of SQLite parsing and planning the same text again on
 * every run: half of what a referral's submission spent on its ten queries, profiled under load.
 * Statements are kept for the most recently used texts (`kept`); one that is still being read
 * (`iterate`) is never handed out twice. Drizzle leaves a statement in array mode after a select
 * (`raw()`); a reused one starts each run in row mode, as a new one would. A PRAGMA must not go
 * through drizzle (`db.run(sql\`pragma …\`)`): SQLite may apply a reused pragma statement only
 * once. Use better-sqlite3's `pragma()` or `exec`, as every pragma here does.
 */
export function reuseStatements(db: object, sqlite: Database.Database): void {
	const session = (db as unknown as { session: OneTimeSession }).session;
	const statements = new Map<string, Database.Statement>();
	session.prepareOneTimeQuery = (
		query,
		fields,
		executeMethod,
		isResponseInArrayMode,
		customResultMapper,
		queryMetadata,
		cacheConfig
	) => {
		let statement = statements.get(query.sql);
		if (statement && !statement.busy) {
			// Most recently used last: the first in the map is the one to drop.
			statements.delete(query.sql);
			if (statement.reader) statement.raw(false);
		} else {
			statement = sqlite.prepare(query.sql);
			if (statements.size >= kept) statements.delete(statements.keys().next().value!);
		}
		statements.set(query.sql, statement);
		return new PreparedQuery(
			statement,
			query,
			session.logger,
			session.cache,
			queryMetadata,
			cacheConfig,
			fields,
			executeMethod,
			isResponseInArrayMode,
			customResultMapper
		);
	};
}
