import { requireStaff } from '$lib/server/auth';
import * as reports from '$lib/server/reports';
import type { PageServerLoad } from './$types';

// Supervisors and admins: counts only, no case and no person, so reading them is not audited.
export const load: PageServerLoad = (event) => {
	requireStaff(event, 'supervisor');
	return { counts: reports.caseCounts() };
};
