import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { eq, sql } from 'drizzle-orm';
import { localizePath } from '$lib/i18n/locales';
import { prepared } from '$lib/server/db';
import { users } from '$lib/server/db/schema';
import { carriesSessionCookie } from './authjs';
import type { Role, SignedIn } from './sessions';

type StaffRole = 'caseworker' | 'supervisor' | 'admin';

/** The signed-in person, or a redirect to sign in (authorisation at the point of use). */
export function requirePerson(event: RequestEvent): SignedIn {
	const user = event.locals.user;
	if (!user) {
		// A form sent after the session ended (20 minutes unused, say) is not saved: the sign-in
		// page says so, so a message typed in that time is not thought sent.
		const unsent = event.request.method === 'POST' && carriesSessionCookie(event);
		redirect(303, localizePath('/sign-in', event.locals.lang) + (unsent ? '?unsent' : ''));
	}
	if (user.role !== 'person') error(403, 'forbidden');
	return user;
}

/** Our staff's roles, least to most rights. A partner worker and a person have none of them. */
const rank: Partial<Record<Role, number>> = { caseworker: 1, supervisor: 2, admin: 3 };

/** Whether a role is one of our own staff's (the console's), never a partner's or a person's. */
export function isStaffRole(role: Role): role is StaffRole {
	return rank[role] !== undefined;
}

/** The signed-in staff member with at least `role`; anyone else is refused. */
export function requireStaff(event: RequestEvent, role: StaffRole = 'caseworker'): SignedIn {
	const user = event.locals.user;
	if (!user) redirect(303, '/staff/sign-in');
	// A person, or a partner agency's worker: the console is ours alone.
	if (!isStaffRole(user.role)) error(403, 'forbidden');
	// A password alone is not enough: the second factor cannot be skipped.
	if (user.secondFactorPending) redirect(303, '/staff/verify');
	if (rank[user.role]! < rank[role]!) error(403, 'forbidden');
	return user;
}

/** A staff member halfway through signing in: password given, second factor not yet. */
export function requirePendingStaff(event: RequestEvent): SignedIn {
	const user = event.locals.user;
	if (!user) redirect(303, '/staff/sign-in');
	// A partner worker finishes signing in at /partner/verify, never here.
	if (!isStaffRole(user.role)) error(403, 'forbidden');
	if (!user.secondFactorPending) redirect(303, '/staff');
	return user;
}

/** A partner worker halfway through signing in: password given, second factor not yet. */
export function requirePendingPartner(event: RequestEvent): SignedIn {
	const user = event.locals.user;
	if (!user) redirect(303, '/partner/sign-in');
	if (user.role !== 'partner') error(403, 'forbidden');
	if (!user.secondFactorPending) redirect(303, '/partner');
	return user;
}

/** A signed-in partner worker and the one agency whose referrals they work. */
export interface Partner extends SignedIn {
	role: 'partner';
	agencyId: string;
	/** May add and deactivate their own agency's workers. */
	partnerAdmin: boolean;
}

// Every partner page reads the worker's agency: built once.
const agencyOf = prepared((db) =>
	db
		.select({ agencyId: users.agencyId, partnerAdmin: users.partnerAdmin })
		.from(users)
		.where(eq(users.id, sql.placeholder('id')))
		.prepare()
);

/**
 * The signed-in partner worker, with their agency; anyone else is refused. The session has
 * already checked the account is active; a worker with no agency sees nothing.
 */
export function requirePartner(event: RequestEvent): Partner {
	const user = event.locals.user;
	if (!user) redirect(303, '/partner/sign-in');
	if (user.role !== 'partner') error(403, 'forbidden');
	// A password alone is not enough here either: the second factor cannot be skipped.
	if (user.secondFactorPending) redirect(303, '/partner/verify');
	const account = agencyOf().get({ id: user.userId });
	if (!account?.agencyId) error(403, 'forbidden');
	return {
		...user,
		role: 'partner',
		agencyId: account.agencyId,
		partnerAdmin: account.partnerAdmin
	};
}
