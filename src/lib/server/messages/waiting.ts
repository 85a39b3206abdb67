import { sql } from 'drizzle-orm';
import { database } from '$lib/server/db';

/** How many conversations waiting for a reply the staff home lists, oldest first. */
export const unansweredShown = 50;

/**
 * Open cases (in one caseload, or every one) whose latest message is the person's, as a SQL
 * condition on `c`. The latest is the last by (created_at, id), the order conversations are
 * shown in; the lookup walks the (case_id, created_at) index backwards and stops at the first.
 * A case with no messages has no latest: null, never 'person'. (A test first that the case has
 * any message made SQLite list the case of every message kept, 12 ms at 100,000 messages.)
 */
function waiting(caseworkerId: string | null) {
	return sql`c.status != 'closed'
		${caseworkerId ? sql`and c.caseworker_id = ${caseworkerId}` : sql``}
		and (
			select l.side from messages l where l.case_id = c.id
			order by l.created_at desc, l.id desc limit 1
		) = 'person'`;
}

/**
 * For a caseworker: cases in their caseload whose last message is the person's, oldest wait
 * first, with when that message came and how many of the person's messages staff have not read.
 * Supervisors pass no caseworker to see all. At most `limit` (one query, whatever the caseload).
 */
export function unanswered(caseworkerId: string | null, limit = unansweredShown) {
	const rows = database().all<{ reference: string; since: number; unread: number }>(sql`
		select w.reference, w.since, (
			select count(*) from messages u
			where u.case_id = w.id and u.side = 'person' and u.read_at is null
		) as unread
		from (
			select c.id, c.reference, (
				select max(m.created_at) from messages m where m.case_id = c.id
			) as since
			from cases c
			where ${waiting(caseworkerId)}
			order by since, c.reference
			limit ${limit}
		) w
		order by w.since, w.reference`);
	return rows.map((row) => ({
		reference: row.reference,
		since: new Date(row.since),
		unread: row.unread
	}));
}

/** How many cases `unanswered` would list without a limit. */
export function unansweredCount(caseworkerId: string | null): number {
	return (
		database().get<{ n: number }>(
			sql`select count(*) as n from cases c where ${waiting(caseworkerId)}`
		)?.n ?? 0
	);
}
