import { count, sql } from 'drizzle-orm';
import { database } from '$lib/server/db';
import { cases } from '$lib/server/db/schema';

/** One row of a report: a value (a status, an outcome, a crime type, a month) and its count. */
export interface Tally {
	value: string;
	count: number;
}

/**
 * What the service did and for whom, in counts only (for supervisors and the commissioner):
 * every case ever opened, anonymised ones included, since anonymising keeps the facts these
 * count. Each is one GROUP BY in SQL over the cases table, so it stays quick at any size.
 */
export function caseCounts() {
	const db = database();
	const tally = (column: typeof cases.status | typeof cases.outcome | typeof cases.crimeType) =>
		db
			.select({ value: column, count: count() })
			.from(cases)
			.groupBy(column)
			.orderBy(sql`2 desc`, column)
			.all()
			.map((row) => ({ value: row.value ?? '', count: row.count }));
	const month = sql<string>`strftime('%Y-%m', ${cases.createdAt} / 1000, 'unixepoch')`;
	const totals = db
		.select({
			total: count(),
			anonymised: sql<number>`count(${cases.anonymisedAt})`,
			onLegalHold: sql<number>`count(${cases.legalHoldAt})`
		})
		.from(cases)
		.get() ?? { total: 0, anonymised: 0, onLegalHold: 0 };
	return {
		...totals,
		byStatus: tally(cases.status),
		// Open cases have no outcome yet: counted under ''.
		byOutcome: tally(cases.outcome),
		byCrimeType: tally(cases.crimeType),
		openedByMonth: db
			.select({ value: month, count: count() })
			.from(cases)
			.groupBy(month)
			.orderBy(month)
			.all()
	};
}

export type CaseCounts = ReturnType<typeof caseCounts>;
