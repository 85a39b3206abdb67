import { and, asc, count, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import * as lifecycle from '$lib/server/cases/lifecycle';
import { config } from '$lib/server/config';
import { database } from '$lib/server/db';
import { cases } from '$lib/server/db/schema';

const day = 86_400_000;

/** The moment before which a case must have closed to be anonymised at `now`. */
export function closedBefore(now: Date, days = config().retention.closedCaseDays): Date {
	return new Date(now.getTime() - days * day);
}

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
	let after: { closedAt: Date; id: string } | null = null;
	for (;;) {
		const due: { id: string; closedAt: Date | null }[] = database()
			.select({ id: cases.id, closedAt: cases.closedAt })
			.from(cases)
			.where(
				and(
					// Written out so SQLite sees the partial index's own condition and uses it.
					sql`${cases.status} = 'closed' and ${cases.anonymisedAt} is null`,
					lt(cases.closedAt, cutoff),
					isNull(cases.legalHoldAt),
					after
						? or(
								gt(cases.closedAt, after.closedAt),
								and(eq(cases.closedAt, after.closedAt), gt(cases.id, after.id))
							)
						: undefined
				)
			)
			.orderBy(asc(cases.closedAt), asc(cases.id))
			.limit(batch)
			.all();
		for (const row of due) {
			if (lifecycle.anonymise(row.id, cutoff, now).ok) anonymised += 1;
		}
		if (due.length < batch) return anonymised;
		const last = due[due.length - 1]!;
		after = { closedAt: last.closedAt!, id: last.id };
		await new Promise((resolve) => setImmediate(resolve));
	}
}

/**
 * How many closed cases the next sweep will anonymise, and how many past their date it will not
 * because of a legal hold: what a data protection officer checks before and after a change.
 */
export function due(now = new Date(), days = config().retention.closedCaseDays) {
	const rows = database()
		.select({ held: sql<number>`${cases.legalHoldAt} is not null`, count: count() })
		.from(cases)
		.where(
			and(
				sql`${cases.status} = 'closed' and ${cases.anonymisedAt} is null`,
				lt(cases.closedAt, closedBefore(now, days))
			)
		)
		.groupBy(sql`1`)
		.all();
	return {
		toAnonymise: rows.find((row) => !row.held)?.count ?? 0,
		held: rows.find((row) => row.held)?.count ?? 0
	};
}
