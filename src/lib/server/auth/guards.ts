import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { localizePath } from '$lib/i18n/locales';
import type { Role, SignedIn } from './sessions';

type StaffRole = 'caseworker' | 'supervisor' | 'admin';

/** The signed-in person, or a redirect to sign in (authorisation at the point of use). */
export function requirePerson(event: RequestEvent): SignedIn {
	const user = event.locals.user;
	if (!user) {
		redirect(303, localizePath('/sign-in', event.locals.lang));
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
	if (user.role === 'person') error(403, 'forbidden');
	if (!user.secondFactorPending) redirect(303, '/staff');
	return user;
}
