import { database, type Db } from '$lib/server/db';
import { desc, eq } from 'drizzle-orm';
import { auditLog, users } from '$lib/server/db/schema';

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
	| 'case_changed'
	| 'contact_assigned'
	| 'status_changed'
	| 'first_contact_recorded'
	| 'note_added'
	| 'needs_updated'
	| 'dash_recorded'
	| 'partner_referral_sent'
	| 'partner_referral_updated'
	| 'hearing_recorded'
	| 'audit_viewed'
	| 'preferences_changed'
	| 'message_sent'
	| 'court_request_made'
	| 'court_request_done'
	| 'agency_changed';

/** A transaction (or the database itself) an audit row is written in. */
export type Writer = Pick<Db, 'insert'>;

/**
 * Writes one audit row: who (if known), what, and which case or person it concerned. A change
 * passes its own transaction, so the change and its row are written together or not at all
 * (DESIGN: one transaction writes the change, its event, its outbox row and its audit row).
 */
export function record(
	action: AuditAction,
	who: { id: string; role: string } | null,
	about: { caseId?: string; subjectId?: string } = {},
	writer: Writer = database()
): void {
	writer
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

/** A case's audit trail, newest first: when, who (work email, or the person), their role, what. */
export function forCase(caseId: string) {
	return database()
		.select({
			id: auditLog.id,
			at: auditLog.at,
			action: auditLog.action,
			role: auditLog.actorRole,
			who: users.email
		})
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.actorId))
		.where(eq(auditLog.caseId, caseId))
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.all();
}
