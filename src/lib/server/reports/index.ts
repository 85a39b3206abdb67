import { count, sql } from 'drizzle-orm';
import { database } from '$lib/server/db';
import { cases } from '$lib/server/db/schema';

/** One row of a report: a value (a status, an outcome, a crime type, a month) and its count. */
export interface Tally {
	value: string;
	count: number;
}

/**
 * The moment a month begins in London (the service's clock), as milliseconds. British Summer
 * Time runs from the last Sunday of March to the last Sunday of October (the Summer Time Order
 * 2002), so the 1st of April to October is in summer time (UTC+1) and every other 1st is not.
 */
function londonMonthStart(year: number, month: number): number {
	const utc = Date.UTC(year, month, 1);
	const monthOfYear = new Date(utc).getUTCMonth();
	return utc - (monthOfYear >= 3 && monthOfYear <= 9 ? 3_600_000 : 0);
}

/**
 * What the service did and for whom, in counts only (for supervisors and the commissioner):
 * every case ever opened, anonymised ones included, since anonymising keeps the facts these
 * count. Every count reads the narrow `cases_report` index (migration 0015) or a partial one,
 * never the cases table: under 100 ms in all at 100,000 cases, against over 200 ms.
 */
export function caseCounts() {
	const db = database();
	const tally = (column: typeof cases.status | typeof cases.outcome | typeof cases.crimeType) =>
		db
			.select({ value: column, count: count() })
			.from(cases)
			.groupBy(column)
			.all()
			.map((row) => ({ value: row.value ?? '', count: row.count }))
			.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
	// The anonymised and held ones through their partial indexes: a few rows, not every case.
	const totals = db.get<{ total: number; anonymised: number; onLegalHold: number }>(
		sql`select (select count(*) from ${cases}) as total, (select count(*) from ${cases} where ${cases.anonymisedAt} is not null) as anonymised, (select count(*) from ${cases} where ${cases.legalHoldAt} is not null) as onLegalHold`
	);
	return {
		...totals,
		byStatus: tally(cases.status),
		// Open cases have no outcome yet: counted under ''.
		byOutcome: tally(cases.outcome),
		byCrimeType: tally(cases.crimeType),
		openedByMonth: openedByMonth()
	};
}

export type CaseCounts = ReturnType<typeof caseCounts>;

/**
 * Cases opened in each London calendar month from the first case to the last, empty months
 * included: one range count per month on `cases_report`, which opening time leads (a strftime
 * per row would read every case and cost ten times as much).
 */
function openedByMonth(): Tally[] {
	const db = database();
	const span = db
		// Two subqueries: SQLite finds a lone min() or max() at an end of the index, not both at once.
		.get<{ first: number | null; last: number | null }>(
			sql`select (select min(${cases.createdAt}) from ${cases}) as first, (select max(${cases.createdAt}) from ${cases}) as last`
		);
	if (!span?.first || !span.last) return [];
	const months: { value: string; from: number; to: number }[] = [];
	const start = new Date(span.first);
	for (let year = start.getUTCFullYear(), month = start.getUTCMonth() - 1; ; month += 1) {
		const from = londonMonthStart(year, month);
		if (from > span.last) break;
		const to = londonMonthStart(year, month + 1);
		if (to <= span.first) continue;
		const label = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 7);
		months.push({ value: label, from, to });
	}
	const rows = db.all<{ value: string; count: number }>(
		sql`select json_extract(value, '$.value') as value, (select count(*) from ${cases} where ${cases.createdAt} >= json_extract(value, '$.from') and ${cases.createdAt} < json_extract(value, '$.to')) as count from json_each(${JSON.stringify(months)})`
	);
	return rows;
}
