import * as audit from '$lib/server/audit';
import * as cases from '$lib/server/cases';
import { viewCase } from '../case';
import type { PageServerLoad } from './$types';

// Supervisors and admins read who looked at or changed a case; reading the trail is audited too.
export const load: PageServerLoad = (event) => {
	const { actor, details } = viewCase(event, 'supervisor');
	cases.access.recordView(actor, details.id, 'audit_viewed');
	return { details, oversees: true, trail: audit.forCase(details.id) };
};
