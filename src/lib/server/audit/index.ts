import { database, prepared, type Db } from '$lib/server/db';
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { auditLog, users } from '$lib/server/db/schema';
import * as chain from './chain';

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
	| 'password_changed'
	| 'password_change_refused'
	| 'sign_in_reset'
	| 'second_factor_locked_out'
	| 'second_factor_disabled'
	| 'case_opened'
	| 'case_viewed'
	| 'contact_assigned'
	| 'status_changed'
	| 'first_contact_recorded'
	| 'note_added'
	| 'needs_updated'
	| 'dash_recorded'
	| 'partner_referral_sent'
	| 'partner_referral_updated'
	| 'partner_referral_proposed'
	| 'partner_consent_given'
	| 'partner_consent_refused'
	| 'partner_consent_recorded'
	| 'partner_shared_without_consent'
	| 'partner_consent_withdrawn'
	| 'partner_referral_viewed'
	| 'partner_referral_answered'
	| 'partner_message_sent'
	| 'partner_messages_read'
	| 'partner_worker_added'
	| 'partner_worker_deactivated'
	| 'hearing_recorded'
	| 'audit_viewed'
	| 'preferences_changed'
	| 'message_sent'
	| 'court_request_made'
	| 'court_checklist_saved'
	| 'court_request_done'
	| 'agency_changed'
	| 'organisation_changed'
	| 'data_exported'
	| 'data_export_downloaded'
	| 'legal_hold_set'
	| 'legal_hold_lifted'
	| 'case_erased'
	| 'case_erasure_reapplied'
	| 'case_anonymised'
	| 'case_reopened';

/** A transaction (or the database itself) an audit row is written in. */
export type Writer = Pick<Db, 'insert'>;

/**
 * Writes one audit row: who (if known), what, and which case or person it concerned. A change
 * passes its own transaction, so the change and its row are written together or not at all
 * (DESIGN: one transaction writes the change, its event, its outbox row and its audit row).
 * The row is sealed into the tamper-evident chain (chain.ts) as it is written.
 */
export function record(
	action: AuditAction,
	who: { id: string; role: string } | null,
	about: { caseId?: string; subjectId?: string; detail?: string } = {},
	writer: Writer = database()
): void {
	const db = database();
	// Reading the last link and writing the row after it must not be split by another writer, or
	// two rows would follow the same link. Within this process nothing can come between them:
	// better-sqlite3 is synchronous and Node runs one piece of JavaScript at a time. Another
	// process (npm run rekey beside the server) is kept out by the write transaction: immediate
	// when this row is written alone; in a caller's transaction SQLite refuses (SQLITE_BUSY) a
	// write on a snapshot another writer has moved past, rather than letting the chain fork.
	if (writer === db) db.transaction((tx) => write(tx), { behavior: 'immediate' });
	else write(writer);

	function write(tx: Writer) {
		// On the server's one connection, which a caller's transaction is also on, so the read is
		// inside it; a prepared statement, as drizzle's query builder would cost more than the rest.
		const last = chain.lastLink(db.$client);
		const row = {
			// Given, not left to SQLite, so the id is sealed with the row: the next after the last.
			id: last.id + 1,
			action,
			actorId: who?.id ?? null,
			actorRole: who?.role ?? null,
			caseId: about.caseId ?? null,
			subjectId: about.subjectId ?? null,
			detail: about.detail ?? null,
			at: new Date()
		};
		const hash = chain.seal(chain.keysOf(), last.hash, {
			id: row.id,
			action: row.action,
			actor_id: row.actorId,
			actor_role: row.actorRole,
			case_id: row.caseId,
			subject_id: row.subjectId,
			detail: row.detail,
			at: row.at.getTime()
		});
		tx.insert(auditLog)
			.values({ ...row, hash })
			.run();
	}
}

/** A case's audit trail, newest first: when, who (work email, or the person), their role, what. */
export function forCase(caseId: string) {
	return database()
		.select({
			id: auditLog.id,
			at: auditLog.at,
			action: auditLog.action,
			role: auditLog.actorRole,
			who: users.email,
			detail: auditLog.detail
		})
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.actorId))
		.where(eq(auditLog.caseId, caseId))
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.all();
}

/** The actions that change a case, as the person is told of them: "changed", not "viewed". */
const changeActions: AuditAction[] = [
	'contact_assigned',
	'status_changed',
	'first_contact_recorded',
	'note_added',
	'needs_updated',
	'dash_recorded',
	'partner_referral_sent',
	'partner_referral_updated',
	'partner_referral_proposed',
	'partner_consent_recorded',
	'hearing_recorded',
	'account_unlocked',
	'passphrase_reset'
];

/**
 * Who has seen or changed a case, for the person whose case it is: the role and when, never a
 * name or email. Newest first; one line per role, per kind, per hour, since many page views in
 * one sitting are one visit; the latest 50.
 */
// The person's overview reads it on every visit to /my: built once (`prepared`).
const staffVisits = prepared((db) =>
	db
		.select({ role: auditLog.actorRole, action: auditLog.action, at: auditLog.at })
		.from(auditLog)
		.where(
			and(
				eq(auditLog.caseId, sql.placeholder('caseId')),
				ne(auditLog.actorRole, 'person'),
				inArray(auditLog.action, ['case_viewed', 'audit_viewed', ...changeActions])
			)
		)
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.limit(200)
		.prepare()
);

export function visits(caseId: string) {
	const rows = staffVisits().all({ caseId });
	const seen = new Set<string>();
	return rows
		.map((row) => ({
			who: row.role ?? 'staff',
			kind: (changeActions as string[]).includes(row.action)
				? ('changed' as const)
				: ('viewed' as const),
			at: row.at
		}))
		.filter((visit) => {
			const key = `${visit.who}:${visit.kind}:${Math.floor(visit.at.getTime() / 3_600_000)}`;
			if (seen.has(key)) return false;
			seen.add(key);
			return true;
		})
		.slice(0, 50);
}
