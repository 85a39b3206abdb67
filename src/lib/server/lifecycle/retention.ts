import { sql, type SQL } from 'drizzle-orm';
import * as lifecycle from '$lib/server/cases/lifecycle';
import { config } from '$lib/server/config';
import { database, isLocked, withoutWaiting } from '$lib/server/db';
import { cases } from '$lib/server/db/schema';

const day = 86_400_000;

/** The moment before which a case must have closed to be anonymised at `now`. */
export function closedBefore(now: Date, days = config().retention.closedCaseDays): Date {
	return new Date(now.getTime() - days * day);
}

// Closed cases not yet anonymised, through their own index (`cases_retention`, on closing time,
// whose condition this repeats so SQLite can use it). Named, not left to the planner: with the
// statistics `optimize` samples at 100,000 cases, SQLite preferred reading all 90,000 closed cases
// through the queue's status index and sorting them, 66 ms on the server's one thread for each
// sweep or report, when a handful were due (0.2 ms through this index).
const closedIndexed = sql`${cases} indexed by cases_retention`;
const closedCondition = sql`${cases.status} = 'closed' and ${cases.anonymisedAt} is null`;

/**
 * Anonymises every closed case whose retention period has ended (closed more than `days` ago),
 * not on legal hold, not anonymised yet: each in its own short transaction, found `batch` at a
 * time through the `cases_retention` index, yielding to requests between batches so a first
 * run over years of closed cases does not stall the server. Returns how many were anonymised.
 */
export async function anonymiseExpired(
	now = new Date(),
	days = config().retention.closedCaseDays,
	batch = 200
): Promise<number> {
	const cutoff = closedBefore(now, days);
	let anonymised = 0;
	let failed = 0;
	let firstError = '';
	let after: { closedAt: number; id: string } | null = null;
	for (;;) {
		const due: { id: string; closedAt: number }[] = database()
			.all<{ id: string; closed_at: number }>(dueBatch(cutoff, after, batch))
			.map((row) => ({ id: row.id, closedAt: row.closed_at }));
		for (const row of due) {
			// One case that cannot be anonymised (a damaged sealed value) must not stop every case
			// closed after it: it is counted, the sweep goes on, and the next sweep tries it again.
			// Without SQLite's busy wait (a later batch runs outside the sweep's own): a script
			// holding the database stops the sweep at once, to run again next turn, rather than
			// hold every page of the server's one thread for seconds a case.
			try {
				const done = withoutWaiting(database(), () => lifecycle.anonymise(row.id, cutoff, now));
				if (done.ok) anonymised += 1;
			} catch (error) {
				if (isLocked(error)) throw error;
				failed += 1;
				firstError ||= error instanceof Error ? error.message : String(error);
			}
		}
		if (due.length < batch) {
			if (failed > 0) {
				// No case id or reference: the log is not a place for them. `due()` counts them.
				console.error(
					`OneDoor retention: ${failed} closed case(s) past their date could not be anonymised (${firstError.replaceAll(/\s+/g, ' ').slice(0, 200)}); the others were.`
				);
			}
			return anonymised;
		}
		const last = due[due.length - 1]!;
		after = { closedAt: last.closedAt, id: last.id };
		await new Promise((resolve) => setImmediate(resolve));
	}
}

/**
 * One batch of the sweep: the closed cases due for anonymising (closed before `cutoff`, not on
 * legal hold), after the last of the batch before, in closing order.
 */
export function dueBatch(
	cutoff: Date,
	after: { closedAt: number; id: string } | null,
	batch: number
): SQL {
	const next = after
		? sql`and (${cases.closedAt} > ${after.closedAt} or (${cases.closedAt} = ${after.closedAt} and ${cases.id} > ${after.id}))`
		: sql``;
	return sql`select ${sql.identifier('id')}, ${sql.identifier('closed_at')} from ${closedIndexed}
		where ${closedCondition} and ${cases.closedAt} < ${cutoff.getTime()}
		and ${cases.legalHoldAt} is null ${next}
		order by ${cases.closedAt}, ${cases.id} limit ${batch}`;
}

/**
 * How many closed cases the next sweep will anonymise, and how many past their date it will not
 * because of a legal hold: what a data protection officer checks before and after a change.
 */
export function due(now = new Date(), days = config().retention.closedCaseDays) {
	const rows = database().all<{ held: number; count: number }>(
		sql`select ${cases.legalHoldAt} is not null as held, count(*) as count from ${closedIndexed}
			where ${closedCondition} and ${cases.closedAt} < ${closedBefore(now, days).getTime()}
			group by 1`
	);
	return {
		toAnonymise: rows.find((row) => !row.held)?.count ?? 0,
		held: rows.find((row) => row.held)?.count ?? 0
	};
}
