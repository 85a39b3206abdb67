import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import * as audit from '$lib/server/audit';
import { hashSecret } from '$lib/server/auth/passwords';
import * as rateLimit from '$lib/server/auth/rate-limit';
import * as sessions from '$lib/server/auth/sessions';
import * as staff from '$lib/server/auth/staff';
import { open as unseal, seal } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { partnerAgencies, users } from '$lib/server/db/schema';

// A partner agency's workers: accounts with the role 'partner', tied to one agency. Our admins
// add them for any agency; an agency's own partner-admin for that agency only (the route says
// which agency). Like staff, they get a first password and enrol a second factor at first
// sign-in; they are deactivated, never deleted, and deactivation ends their sessions at once.

/** Who manages an agency's workers: one of our admins, or that agency's partner-admin. */
export interface WorkerManager {
	userId: string;
	role: string;
}

/**
 * An agency's workers, for its team page: name, email, partner-admin, whether active, and whether
 * their codes were switched off (too many wrong ones in a row: a reset sets them up again).
 */
export function list(agencyId: string) {
	return database()
		.select({
			id: users.id,
			email: users.email,
			nameSealed: users.nameSealed,
			partnerAdmin: users.partnerAdmin,
			deactivatedAt: users.deactivatedAt,
			enrolled: isNotNull(users.recoveryHashes),
			failures: users.secondFactorFailures
		})
		.from(users)
		.where(and(eq(users.agencyId, agencyId), eq(users.role, 'partner')))
		.orderBy(asc(users.email))
		.all()
		.map(({ nameSealed, enrolled, failures, ...worker }) => ({
			...worker,
			name: unseal(nameSealed) ?? '',
			enrolled: Boolean(enrolled),
			codesOff: failures >= rateLimit.secondFactorLimit
		}));
}

/** An agency by id, for the pages that manage its workers. */
export function agency(agencyId: string) {
	return (
		database().select().from(partnerAgencies).where(eq(partnerAgencies.id, agencyId)).get() ?? null
	);
}

/** Adds a worker to an agency; always the role 'partner', never more. */
export async function add(
	manager: WorkerManager,
	agencyId: string,
	input: { email: string; name: string; password: string; partnerAdmin: boolean }
): Promise<'created' | 'emailTaken' | 'noAgency'> {
	if (!agency(agencyId)) return 'noAgency';
	const email = input.email.trim().toLowerCase();
	const secretHash = await hashSecret(input.password);
	// Checked after the hash: from here to the insert nothing waits, so a second request for the
	// same email (a double click) finds this worker instead of failing on the unique index.
	if (database().select({ id: users.id }).from(users).where(eq(users.email, email)).get()) {
		return 'emailTaken';
	}
	database().transaction((tx) => {
		const created = tx
			.insert(users)
			.values({
				role: 'partner',
				agencyId,
				partnerAdmin: input.partnerAdmin,
				email,
				nameSealed: seal(input.name),
				secretHash
			})
			.returning({ id: users.id })
			.get();
		audit.record(
			'partner_worker_added',
			{ id: manager.userId, role: manager.role },
			{ subjectId: created.id, detail: agencyId },
			tx
		);
	});
	return 'created';
}

/**
 * Deactivates one of this agency's workers and ends every session they have. Refused (false)
 * for anyone not a worker of this agency, for one already deactivated, and for oneself.
 */
export function deactivate(manager: WorkerManager, agencyId: string, userId: string): boolean {
	if (userId === manager.userId || userId.length > 64) return false;
	const done = database().transaction((tx) => {
		const updated = tx
			.update(users)
			.set({ deactivatedAt: new Date() })
			.where(
				and(
					eq(users.id, userId),
					eq(users.role, 'partner'),
					eq(users.agencyId, agencyId),
					isNull(users.deactivatedAt)
				)
			)
			.run();
		if (updated.changes !== 1) return false;
		audit.record(
			'partner_worker_deactivated',
			{ id: manager.userId, role: manager.role },
			{ subjectId: userId, detail: agencyId },
			tx
		);
		return true;
	});
	if (done) sessions.endAll(userId);
	return done;
}

/**
 * Sets one of this agency's workers up again with a first password and no second factor
 * (`staff.resetSignIn`): refused (false) for anyone not an active worker of this agency, and for
 * oneself.
 */
export function resetSignIn(
	manager: WorkerManager,
	agencyId: string,
	userId: string,
	password: string
): Promise<boolean> {
	const among = and(eq(users.role, 'partner'), eq(users.agencyId, agencyId))!;
	return staff.resetSignIn(manager, userId, password, among, agencyId);
}

/** A partner worker's agency name and whether they manage its team, for the area's navigation. */
export function account(userId: string) {
	return (
		database()
			.select({ agency: partnerAgencies.name, partnerAdmin: users.partnerAdmin })
			.from(users)
			.innerJoin(partnerAgencies, eq(partnerAgencies.id, users.agencyId))
			.where(and(eq(users.id, userId), eq(users.role, 'partner')))
			.get() ?? null
	);
}
