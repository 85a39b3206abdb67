import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { database } from '$lib/server/db';
import { sessions, users } from '$lib/server/db/schema';

export type Role = (typeof users.$inferSelect)['role'];

/** Idle timeouts (ASVS 5.0 V7.3): 20 minutes for people, 60 for staff; 8 hours at most. */
export const idleMinutes: Record<Role, number> = {
	person: 20,
	caseworker: 60,
	supervisor: 60,
	admin: 60
};
export const absoluteHours = 8;

/** The signed-in user as the rest of the app sees them. */
export interface SignedIn {
	sessionId: string;
	userId: string;
	role: Role;
	language: string;
	/** When the session ends if nothing more happens. */
	expiresAt: number;
	/** A staff member who gave their password but not yet their second factor. */
	secondFactorPending: boolean;
}

const token = () => randomBytes(32).toString('base64url');

/** Starts a new session (a new id at every sign-in) and returns its single-use grant. */
export function start(
	userId: string,
	{ secondFactorPending = false, now = new Date() } = {}
): { sessionId: string; grant: string } {
	const session = { id: token(), grant: token() };
	database()
		.insert(sessions)
		.values({
			id: session.id,
			userId,
			grant: session.grant,
			createdAt: now,
			lastSeenAt: now,
			secondFactorPending
		})
		.run();
	return { sessionId: session.id, grant: session.grant };
}

/** Exchanges a grant for its session id, once: a second use finds nothing. */
export function redeem(grant: string): { sessionId: string; userId: string } | null {
	const row = database()
		.update(sessions)
		.set({ grant: null })
		.where(and(eq(sessions.grant, grant), isNull(sessions.revokedAt)))
		.returning()
		.get();
	return row ? { sessionId: row.id, userId: row.userId } : null;
}

/**
 * The live session with this id, touched (unless `touch` is false: a background poll is not
 * activity); null when it is unknown, revoked, idle too long, past its absolute lifetime, or its
 * user is locked.
 */
export function resume(sessionId: string, now = new Date(), touch = true): SignedIn | null {
	const db = database();
	const row = db
		.select({ session: sessions, user: users })
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, sessionId))
		.get();
	if (!row || row.session.revokedAt || row.user.lockedAt || row.user.deactivatedAt) return null;
	const idle = idleMinutes[row.user.role] * 60_000;
	const absoluteEnd = row.session.createdAt.getTime() + absoluteHours * 3_600_000;
	if (now.getTime() - row.session.lastSeenAt.getTime() > idle || now.getTime() > absoluteEnd) {
		end(sessionId, now);
		return null;
	}
	const seen = touch ? now : row.session.lastSeenAt;
	if (touch) db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, sessionId)).run();
	return {
		sessionId,
		userId: row.user.id,
		role: row.user.role,
		language: row.user.language,
		expiresAt: Math.min(seen.getTime() + idle, absoluteEnd),
		secondFactorPending: row.session.secondFactorPending
	};
}

/** Ends one session now. */
export function end(sessionId: string, now = new Date()): void {
	database()
		.update(sessions)
		.set({ revokedAt: now, grant: null })
		.where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
		.run();
}

/** Ends every session a user has: sign out everywhere, lock, deactivation. */
export function endAll(userId: string, now = new Date()): void {
	database()
		.update(sessions)
		.set({ revokedAt: now, grant: null })
		.where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
		.run();
}
