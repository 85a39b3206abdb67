import type { LayoutServerLoad } from './$types';

// Which console links to offer. This is navigation, not protection: each page has its own guard.
export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user;
	const signedInStaff = user && user.role !== 'person' && !user.secondFactorPending;
	return { staffRole: signedInStaff ? user.role : null };
};
