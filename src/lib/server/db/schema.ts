import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Seeds that have run against this database, so demo data is written once. */
export const seedRuns = sqliteTable('seed_runs', {
	name: text('name').primaryKey(),
	ranAt: integer('ran_at', { mode: 'timestamp_ms' })
		.notNull()
		.default(sql`(unixepoch('subsec') * 1000)`)
});
