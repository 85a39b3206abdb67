import * as audit from '$lib/server/audit';
import { viewCase } from '../case';
import type { PageServerLoad } from './$types';

// Supervisors and admins read who looked at or changed a case; reading the trail is audited too.
export const load: PageServerLoad = (event) => {
	const { actor, details } = viewCase(event, 'supervisor');
	audit.record('audit_viewed', { id: actor.userId, role: actor.role }, { caseId: details.id });
	return { details, oversees: true, trail: audit.forCase(details.id) };
};
