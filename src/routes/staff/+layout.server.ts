import { isStaffRole } from '$lib/server/auth/guards';
import type { LayoutServerLoad } from './$types';

// Which console links to offer. This is navigation, not protection: each page has its own guard.
export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user;
	// A partner worker signed in at /partner is not staff: the console offers them nothing.
	const signedInStaff = user && isStaffRole(user.role) && !user.secondFactorPending;
	return { staffRole: signedInStaff ? user.role : null };
};
