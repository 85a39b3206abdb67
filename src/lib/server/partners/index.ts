import { createHash } from 'node:crypto';
import { and, asc, desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import * as audit from '$lib/server/audit';
import type { Changed } from '$lib/server/cases/command';
import * as sessions from '$lib/server/auth/sessions';
import type { Actor } from '$lib/server/cases/access';
import { open as unseal } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import {
	partnerAgencies,
	partnerReferrals,
	partnerReferralStatuses,
	users
} from '$lib/server/db/schema';

export { answer, propose, recordConsent, shareWithoutConsent, withdraw } from './consent';
export type { OverrideBasis, OverrideTarget } from './consent';
export { agencyNotice, noticeToAgency } from './notices';

export type PartnerReferralStatus = (typeof partnerReferralStatuses)[number];
/** Where a referral to a partner agency can stand. */
export { partnerReferralStatuses as referralStatuses };

/** The agencies a caseworker can refer to now, by name. */
export function agencies() {
	return database()
		.select()
		.from(partnerAgencies)
		.where(eq(partnerAgencies.active, true))
		.orderBy(asc(partnerAgencies.name))
		.all();
}

const proposer = alias(users, 'proposer');
const consenter = alias(users, 'consenter');
const opened = (sealed: string | null) => (sealed ? (unseal(sealed) ?? '') : '');

/**
 * The partner referrals on a case for the console, newest first, with their sealed words opened:
 * why we refer (internal), what the agency sees, how sharing was allowed and by whom.
 */
export function forCase(caseId: string) {
	return (
		database()
			.select({
				referral: partnerReferrals,
				agency: partnerAgencies.name,
				does: partnerAgencies.does,
				proposedBy: proposer.email,
				consentByRole: consenter.role,
				consentByEmail: consenter.email
			})
			.from(partnerReferrals)
			.innerJoin(partnerAgencies, eq(partnerAgencies.id, partnerReferrals.agencyId))
			.leftJoin(proposer, eq(proposer.id, partnerReferrals.actorId))
			.leftJoin(consenter, eq(consenter.id, partnerReferrals.consentBy))
			.where(eq(partnerReferrals.caseId, caseId))
			.orderBy(desc(partnerReferrals.createdAt))
			.all()
			// An anonymised case's referrals keep their agency and status, and empty words.
			.map(({ referral: r, ...joined }) => ({
				id: r.id,
				agencyId: r.agencyId,
				agency: joined.agency,
				does: joined.does,
				status: r.status,
				reason: opened(r.reasonSealed),
				summary: opened(r.summarySealed),
				consentBasis: r.consentBasis,
				consentNote: opened(r.consentNoteSealed),
				consentAt: r.consentAt,
				// The person themself (in their portal), or the staff member who recorded it.
				consentBy:
					joined.consentByRole === 'person' ? ('person' as const) : (joined.consentByEmail ?? ''),
				overrideBasis: r.overrideBasis,
				overrideReason: opened(r.overrideReasonSealed),
				proposedBy: joined.proposedBy ?? '',
				partnerWorker: opened(r.partnerWorkerSealed),
				declineReason: opened(r.declineReasonSealed),
				outcome: r.outcome,
				sentAt: r.sentAt,
				withdrawnAt: r.withdrawnAt,
				createdAt: r.createdAt,
				updatedAt: r.updatedAt
			}))
	);
}

/** Every agency, active or not, for the admins who keep the list. */
export function allAgencies() {
	return database().select().from(partnerAgencies).orderBy(asc(partnerAgencies.name)).all();
}

/**
 * The id an agency gets from its name: lower case, words joined by hyphens. A name with no Latin
 * letters or digits (an Arabic or Bengali name) gets one made from the name itself, so the same
 * name always makes the same id and a second agency of that name is still refused.
 */
export function agencyId(name: string): string {
	const latin = name
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, 60);
	if (latin) return latin;
	const words = name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
	if (!words) return '';
	return `agency-${createHash('sha256').update(words).digest('hex').slice(0, 12)}`;
}

/** Adds an agency to the list; refused when its name makes an id the list already has. */
export function addAgency(
	actor: Actor,
	agency: { name: string; does: string; helpsWith: string[] }
): Changed {
	const id = agencyId(agency.name);
	if (!id) return { ok: false, field: 'name', error: 'staff.partnersAdmin.errors.name' };
	const added = database().transaction((tx) => {
		const inserted = tx
			.insert(partnerAgencies)
			.values({ id, ...agency })
			.onConflictDoNothing()
			.run();
		if (inserted.changes !== 1) return false;
		audit.record('agency_changed', { id: actor.userId, role: actor.role }, {}, tx);
		return true;
	});
	if (!added) return { ok: false, field: 'name', error: 'staff.partnersAdmin.errors.taken' };
	return { ok: true };
}

/**
 * Takes an agency off the list (or back on). Referrals already made to it keep their history;
 * it is only not offered for new ones. Its workers can no longer sign in, and every session they
 * have ends at once, as when one worker is deactivated; back on the list, they may sign in
 * again (the ended sessions stay ended).
 */
export function setActive(actor: Actor, id: string, active: boolean): Changed {
	const workers = database().transaction((tx) => {
		const updated = tx
			.update(partnerAgencies)
			.set({ active })
			.where(eq(partnerAgencies.id, id))
			.run();
		if (updated.changes !== 1) return null;
		const ids = tx
			.select({ id: users.id })
			.from(users)
			.where(and(eq(users.agencyId, id), eq(users.role, 'partner')))
			.all()
			.map((worker) => worker.id);
		// What the change did, as the organisations' list records its own.
		const detail = active
			? `switched on ${id}`
			: `switched off ${id}; its workers signed out: ${ids.length}`;
		audit.record('agency_changed', { id: actor.userId, role: actor.role }, { detail }, tx);
		return ids;
	});
	if (!workers) return { ok: false, field: 'form', error: 'staff.errors.notChanged' };
	if (!active) for (const worker of workers) sessions.endAll(worker);
	return { ok: true };
}

/**
 * Sets (or, with null, clears) the agency's shared inbox: where content-free notices go ("a
 * referral is waiting at /partner"). Audited like every change to the list.
 */
export function setInbox(actor: Actor, id: string, inboxEmail: string | null): Changed {
	const done = database().transaction((tx) => {
		const updated = tx
			.update(partnerAgencies)
			.set({ inboxEmail })
			.where(eq(partnerAgencies.id, id))
			.run();
		if (updated.changes !== 1) return false;
		audit.record('agency_changed', { id: actor.userId, role: actor.role }, {}, tx);
		return true;
	});
	if (!done) return { ok: false, field: 'form', error: 'staff.errors.notChanged' };
	return { ok: true };
}
