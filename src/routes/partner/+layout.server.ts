import * as workers from '$lib/server/partners/workers';
import type { LayoutServerLoad } from './$types';

// Which links to offer. This is navigation, not protection: each page has its own guard.
export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user;
	if (!user || user.role !== 'partner' || user.secondFactorPending) return { partner: null };
	const account = workers.account(user.userId);
	return { partner: account && { agency: account.agency, partnerAdmin: account.partnerAdmin } };
};
