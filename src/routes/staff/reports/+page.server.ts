import { requireStaff } from '$lib/server/auth';
import { config } from '$lib/server/config';
import * as retention from '$lib/server/lifecycle/retention';
import * as reports from '$lib/server/reports';
import type { PageServerLoad } from './$types';

// Supervisors and admins: counts only, no case and no person, so reading them is not audited.
export const load: PageServerLoad = (event) => {
	requireStaff(event, 'supervisor');
	return {
		counts: reports.caseCounts(),
		retention: { days: config().retention.closedCaseDays, ...retention.due() }
	};
};
