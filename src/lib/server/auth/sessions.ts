import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { database, prepared, withoutWaiting } from '$lib/server/db';
import { partnerAgencies, sessions, users } from '$lib/server/db/schema';

export type Role = (typeof users.$inferSelect)['role'];

/** Idle timeouts (ASVS 5.0 V7.3): 20 minutes for people, 60 for staff; 8 hours at most. */
export const idleMinutes: Record<Role, number> = {
	person: 20,
	caseworker: 60,
	supervisor: 60,
	admin: 60,
	partner: 60
};
export const absoluteHours = 8;
/** How stale a session's last-seen time may be before a request writes it again. */
export const touchEverySeconds = 30;

/** The signed-in user as the rest of the app sees them. */
export interface SignedIn {
	sessionId: string;
	userId: string;
	role: Role;
	/** When the session ends if nothing more happens. */
	expiresAt: number;
	/** A staff member who gave their password but not yet their second factor. */
	secondFactorPending: boolean;
}

const token = () => randomBytes(32).toString('base64url');

/**
 * What the database keeps instead of a session id or grant: a copy of the database must not open
 * a session. The tokens are 256 random bits, so an unsalted SHA-256 is enough to keep them secret.
 */
const hashOf = (value: string) => createHash('sha256').update(value).digest('base64url');

/** Starts a new session (a new id at every sign-in) and returns its single-use grant. */
export function start(
	userId: string,
	{ secondFactorPending = false, now = new Date() } = {}
): { sessionId: string; grant: string } {
	const sessionId = token();
	// The grant names its session, since only hashes are stored; base64url has no '.'.
	const grant = `${sessionId}.${token()}`;
	database()
		.insert(sessions)
		.values({
			idHash: hashOf(sessionId),
			userId,
			grantHash: hashOf(grant),
			createdAt: now,
			lastSeenAt: now,
			secondFactorPending
		})
		.run();
	return { sessionId, grant };
}

/**
 * Exchanges a grant for its session, once: a second use finds nothing. The grant carries the
 * session id (the database has only its hash) and never leaves the server.
 */
export function redeem(grant: string): { sessionId: string; userId: string; role: Role } | null {
	const sessionId = grant.split('.')[0] ?? '';
	const db = database();
	const row = db
		.update(sessions)
		.set({ grantHash: null })
		.where(
			and(
				eq(sessions.grantHash, hashOf(grant)),
				eq(sessions.idHash, hashOf(sessionId)),
				isNull(sessions.revokedAt)
			)
		)
		.returning()
		.get();
	if (!row) return null;
	const user = db.select({ role: users.role }).from(users).where(eq(users.id, row.userId)).get();
	return user ? { sessionId, userId: row.userId, role: user.role } : null;
}

// Every signed-in request reads its session: built once. A partner worker's agency comes with
// it (null for anyone without one).
const sessionById = prepared((db) =>
	db
		.select({ session: sessions, user: users, agencyActive: partnerAgencies.active })
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.leftJoin(partnerAgencies, eq(partnerAgencies.id, users.agencyId))
		.where(eq(sessions.idHash, sql.placeholder('idHash')))
		.prepare()
);

/**
 * The session of a person leaving by the quick exit, read without touching it and without
 * waiting on the database: should reading it fail (a locked database, where ending an idle
 * session is a write), it is logged and the person is treated as signed out, so leaving goes on.
 */
export function resumeLeaving(sessionId: string, now = new Date()): SignedIn | null {
	try {
		return withoutWaiting(database(), () => resume(sessionId, now, false));
	} catch (error) {
		console.error('Quick exit could not read the session:', error);
		return null;
	}
}

/**
 * The live session with this id, touched (unless `touch` is false: a background poll is not
 * activity); null when it is unknown, revoked, idle too long, past its absolute lifetime, or its
 * user is locked or deactivated, or works for a partner agency taken off the list.
 */
export function resume(sessionId: string, now = new Date(), touch = true): SignedIn | null {
	const db = database();
	const row = sessionById().get({ idHash: hashOf(sessionId) });
	if (!row || row.session.revokedAt || row.user.lockedAt || row.user.deactivatedAt) return null;
	// Switching an agency off ends its workers' sessions; this also stops one that began while it
	// was being switched off (a password checked just before).
	if (row.agencyActive === false) return null;
	const idle = idleMinutes[row.user.role] * 60_000;
	const absoluteEnd = row.session.createdAt.getTime() + absoluteHours * 3_600_000;
	if (now.getTime() - row.session.lastSeenAt.getTime() > idle || now.getTime() > absoluteEnd) {
		end(sessionId, now);
		return null;
	}
	// A page view is a write only when the stored time is a while old: every commit is flushed
	// to disk (durability), and a person reading their case would otherwise write on every click.
	// The session may so end up to `touchEverySeconds` before the idle limit, never after it.
	const due = now.getTime() - row.session.lastSeenAt.getTime() >= touchEverySeconds * 1000;
	const seen = touch && due ? now : row.session.lastSeenAt;
	if (touch && due) {
		db.update(sessions)
			.set({ lastSeenAt: now })
			.where(eq(sessions.idHash, row.session.idHash))
			.run();
	}
	return {
		sessionId,
		userId: row.user.id,
		role: row.user.role,
		expiresAt: Math.min(seen.getTime() + idle, absoluteEnd),
		secondFactorPending: row.session.secondFactorPending
	};
}

/** Ends one session now; true when it was still live (false: already ended, or never was). */
export function end(sessionId: string, now = new Date()): boolean {
	const ended = database()
		.update(sessions)
		.set({ revokedAt: now, grantHash: null })
		.where(and(eq(sessions.idHash, hashOf(sessionId)), isNull(sessions.revokedAt)))
		.run();
	return ended.changes === 1;
}

/**
 * Ends every session a user has but this one: after they change their password, whoever else knew
 * the old one is signed out, while the worker who changed it carries on.
 */
export function endOthers(userId: string, sessionId: string, now = new Date()): void {
	database()
		.update(sessions)
		.set({ revokedAt: now, grantHash: null })
		.where(
			and(
				eq(sessions.userId, userId),
				isNull(sessions.revokedAt),
				ne(sessions.idHash, hashOf(sessionId))
			)
		)
		.run();
}

/** Ends every session a user has: sign out everywhere, lock, deactivation. */
export function endAll(userId: string, now = new Date()): void {
	database()
		.update(sessions)
		.set({ revokedAt: now, grantHash: null })
		.where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
		.run();
}
