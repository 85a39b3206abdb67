import { and, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import { absoluteHours, idleMinutes } from '$lib/server/auth/sessions';
import { windowMinutes } from '$lib/server/auth/rate-limit';
import { config, type RetentionConfig } from '$lib/server/config';
import { pruneAudit } from '$lib/server/audit/chain';
import { database, flushingAfter, optimizeDatabase, withoutWaiting } from '$lib/server/db';
import {
	emailLinks,
	outbox,
	referralDrafts,
	sessions,
	signInFailures,
	users
} from '$lib/server/db/schema';
import { anonymiseExpired } from './retention';

// Nothing kept longer than needed (DESIGN rule 9): what has served its purpose is deleted on a
// schedule. Each sweep deletes only what can no longer be used, so a sweep never ends anything
// a person or staff member could still rely on.

/** One kind of thing the sweeper clears: its name (for the log line) and how many it removed. */
export interface Sweep {
	name: string;
	run: (now: Date, settings: RetentionConfig) => number | Promise<number>;
}

const minute = 60_000;
const before = (now: Date, ms: number) => new Date(now.getTime() - ms);

/** The sweeps, in the order they run. */
export const sweeps: Sweep[] = [
	{
		// Revoked, idle past their role's limit, or past the absolute lifetime: none can resume.
		name: 'sessions',
		run: (now) => {
			const personIdle = before(now, idleMinutes.person * minute);
			const staffIdle = before(now, Math.max(...Object.values(idleMinutes)) * minute);
			return database()
				.delete(sessions)
				.where(
					or(
						isNotNull(sessions.revokedAt),
						lt(sessions.createdAt, before(now, absoluteHours * 60 * minute)),
						lt(sessions.lastSeenAt, staffIdle),
						and(
							lt(sessions.lastSeenAt, personIdle),
							sql`${sessions.userId} in (select ${users.id} from ${users} where ${users.role} = 'person')`
						)
					)
				)
				.run().changes;
		}
	},
	{
		// A used link cannot be used again, an expired one never: neither is any use.
		name: 'emailLinks',
		run: (now) =>
			database()
				.delete(emailLinks)
				.where(or(isNotNull(emailLinks.usedAt), lt(emailLinks.expiresAt, now)))
				.run().changes
	},
	{
		// Sent or given up, and older than OUTBOX_KEEP_DAYS (kept a while to answer "was it sent?").
		name: 'outbox',
		run: (now, settings) =>
			database()
				.delete(outbox)
				.where(
					and(
						inArray(outbox.status, ['sent', 'failed']),
						lt(outbox.createdAt, before(now, settings.outboxDays * 24 * 60 * minute))
					)
				)
				.run().changes
	},
	{
		// Past their lifetime: abandoned ones, and submitted ones once the "done" page no longer
		// needs them to find the case (submitting already emptied their answers).
		name: 'drafts',
		run: (now) =>
			database().delete(referralDrafts).where(lt(referralDrafts.expiresAt, now)).run().changes
	},
	{
		// A reset code a named contact read out that was never used, past its expiry.
		name: 'resetCodes',
		run: (now) =>
			database()
				.update(users)
				.set({ resetHash: null, resetExpiresAt: null })
				.where(lt(users.resetExpiresAt, now))
				.run().changes
	},
	{
		// Failed sign-ins outside the rate limits' window count for nothing (and hold addresses).
		name: 'signInFailures',
		run: (now) =>
			database()
				.delete(signInFailures)
				.where(lt(signInFailures.at, before(now, windowMinutes * minute)))
				.run().changes
	},
	{
		// Closed cases past RETENTION_CLOSED_DAYS, not on legal hold.
		name: 'anonymised',
		run: (now, settings) => anonymiseExpired(now, settings.closedCaseDays)
	},
	{
		// Audit rows past AUDIT_RETENTION_DAYS, oldest first; the chain's anchor moves with them
		// (audit/chain.ts), so `npm run audit:verify` still checks what is kept. No audit row is
		// deleted anywhere else.
		name: 'auditRows',
		run: (now, settings) => pruneAudit(before(now, settings.auditDays * 24 * 60 * minute))
	},
	{
		// Not a deletion: keeps the query planner's statistics in step as the tables grow.
		name: 'plannerStatistics',
		run: () => {
			optimizeDatabase(database());
			return 0;
		}
	}
];

/** Runs every sweep once; returns how many things each removed, by name. */
export async function sweepOnce(
	now = new Date(),
	settings: RetentionConfig = config().retention
): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	for (const sweep of sweeps) {
		// One sweep failing must not stop the others (nor retention, which comes last). Each
		// without SQLite's busy wait: on the server's one thread it would hold every page while a
		// script holds the database; a sweep that finds it locked fails at once and runs next turn.
		try {
			counts[sweep.name] = await withoutWaiting(database(), () => sweep.run(now, settings));
		} catch (error) {
			console.error(`sweep ${sweep.name} failed:`, error instanceof Error ? error.message : error);
			counts[sweep.name] = -1;
		}
	}
	return counts;
}

let timer: ReturnType<typeof setInterval> | undefined;
let running = false;

/**
 * Sweeps now and then every `intervalMs`, in this process (the server's init hook), logging one
 * line of counts and nothing else: no reference, id or address.
 */
export function startSweeper(intervalMs: number): void {
	if (timer) return;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			const counts = await flushingAfter(database(), () => sweepOnce());
			console.log(
				`sweep: ${Object.entries(counts)
					.map(([name, count]) => `${name}=${count}`)
					.join(' ')}`
			);
		} catch (error) {
			console.error('sweeper:', error instanceof Error ? error.message : error);
		} finally {
			running = false;
		}
	};
	timer = setInterval(() => void tick(), intervalMs);
	timer.unref();
	// The first sweep soon after start-up, not an interval later, but not in start-up's way.
	setTimeout(() => void tick(), 10_000).unref();
}
