import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { localizePath } from '$lib/i18n/locales';
import type { Role, SignedIn } from './sessions';

/** The signed-in person, or a redirect to sign in (authorisation at the point of use). */
export function requirePerson(event: RequestEvent): SignedIn {
	const user = event.locals.user;
	if (!user) {
		redirect(303, localizePath('/sign-in', event.locals.lang));
	}
	if (user.role !== 'person') error(403, 'forbidden');
	return user;
}

const rank: Record<Role, number> = { person: 0, caseworker: 1, supervisor: 2, admin: 3 };

/** The signed-in staff member with at least `role`; anyone else is refused. */
export function requireStaff(
	event: RequestEvent,
	role: Exclude<Role, 'person'> = 'caseworker'
): SignedIn {
	const user = event.locals.user;
	if (!user) redirect(303, '/staff/sign-in');
	if (user.role === 'person') error(403, 'forbidden');
	// A password alone is not enough: the second factor cannot be skipped.
	if (user.secondFactorPending) redirect(303, '/staff/verify');
	if (rank[user.role] < rank[role]) error(403, 'forbidden');
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
