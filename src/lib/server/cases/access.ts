import { eq } from 'drizzle-orm';
import { parseReference } from '$lib/referral/reference';
import * as audit from '$lib/server/audit';
import type { Role } from '$lib/server/auth/sessions';
import { database } from '$lib/server/db';
import { cases } from '$lib/server/db/schema';

/** The staff member acting, as the guards give them. */
export interface Actor {
	userId: string;
	role: Role;
}

export type CaseRow = typeof cases.$inferSelect;

/** Supervisors and admins oversee every case; a caseworker works only their own caseload. */
export function oversees(actor: Actor): boolean {
	return actor.role === 'supervisor' || actor.role === 'admin';
}

/** Whether this staff member may read and work this case: its named contact, or oversight. */
export function mayWork(actor: Actor, row: Pick<CaseRow, 'caseworkerId'>): boolean {
	return oversees(actor) || (actor.role === 'caseworker' && row.caseworkerId === actor.userId);
}

export type Opened = { ok: true; row: CaseRow } | { ok: false; reason: 'not_found' | 'forbidden' };

/**
 * Finds a case this staff member may work, for a change: the change itself writes the audit row.
 */
export function find(actor: Actor, typed: string): Opened {
	const reference = parseReference(typed);
	if (!reference) return { ok: false, reason: 'not_found' };
	const row = database().select().from(cases).where(eq(cases.reference, reference)).get();
	if (!row) return { ok: false, reason: 'not_found' };
	if (!mayWork(actor, row)) return { ok: false, reason: 'forbidden' };
	return { ok: true, row };
}

/**
 * Opens a case for a staff member to read. Every successful open writes a `case_viewed` audit
 * row (DESIGN rule 5), so a page cannot show a case without leaving a trace.
 */
export function open(actor: Actor, typed: string): Opened {
	const found = find(actor, typed);
	if (found.ok) recordView(actor, found.row.id);
	return found;
}

/**
 * Records that a staff member read a case (or, `audit_viewed`, its audit trail): for a read that
 * does not go through `open`, such as new messages fetched by a poll, or the person behind a case
 * looked up to unlock their account.
 */
export function recordView(
	actor: Actor,
	caseId: string,
	action: 'case_viewed' | 'audit_viewed' = 'case_viewed'
): void {
	audit.record(action, { id: actor.userId, role: actor.role }, { caseId });
}

/**
 * Records that a staff member read each of these cases in a list: a row of the case list, a
 * search's answer or the console's home shows a name, the kind of crime and the needs, so it is
 * a read of the case (DESIGN rule 5), and a search for someone leaves a trace like opening their
 * case. One transaction for the page.
 */
export function recordListed(actor: Actor, caseIds: readonly string[]): void {
	const unique = [...new Set(caseIds)];
	if (unique.length === 0) return;
	const who = { id: actor.userId, role: actor.role };
	database().transaction(
		(tx) => {
			for (const caseId of unique) audit.record('case_viewed', who, { caseId }, tx);
		},
		{ behavior: 'immediate' }
	);
}
