import { database } from '$lib/server/db';
import { auditLog } from '$lib/server/db/schema';

/** What the audit trail records, in the service's own words. */
export type AuditAction =
	| 'sign_in'
	| 'sign_in_failed'
	| 'sign_in_locked_out'
	| 'sign_out'
	| 'sign_out_everywhere'
	| 'account_locked'
	| 'account_unlocked'
	| 'passphrase_reset'
	| 'role_changed'
	| 'staff_created'
	| 'staff_deactivated'
	| 'second_factor_enrolled'
	| 'case_viewed'
	| 'case_changed';

/** Writes one audit row: who (if known), what, and which case or person it concerned. */
export function record(
	action: AuditAction,
	who: { id: string; role: string } | null,
	about: { caseId?: string; subjectId?: string } = {}
): void {
	database()
		.insert(auditLog)
		.values({
			action,
			actorId: who?.id ?? null,
			actorRole: who?.role ?? null,
			caseId: about.caseId ?? null,
			subjectId: about.subjectId ?? null
		})
		.run();
}
