import { and, asc, desc, eq } from 'drizzle-orm';
import * as audit from '$lib/server/audit';
import { changeCase, refuse, type Changed } from '$lib/server/cases/command';
import type { Actor, CaseRow } from '$lib/server/cases/access';
import { open as unseal, seal } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { partnerAgencies, partnerReferrals, partnerReferralStatuses } from '$lib/server/db/schema';

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

/** The partner referrals on a case, newest first, with the reason opened for the console. */
export function forCase(caseId: string) {
	return (
		database()
			.select({
				id: partnerReferrals.id,
				agency: partnerAgencies.name,
				agencyId: partnerAgencies.id,
				does: partnerAgencies.does,
				status: partnerReferrals.status,
				reasonSealed: partnerReferrals.reasonSealed,
				createdAt: partnerReferrals.createdAt,
				updatedAt: partnerReferrals.updatedAt
			})
			.from(partnerReferrals)
			.innerJoin(partnerAgencies, eq(partnerAgencies.id, partnerReferrals.agencyId))
			.where(eq(partnerReferrals.caseId, caseId))
			.orderBy(desc(partnerReferrals.createdAt))
			.all()
			// An anonymised case's referrals keep their agency and status, and an empty reason.
			.map(({ reasonSealed, ...rest }) => ({
				...rest,
				reason: reasonSealed ? (unseal(reasonSealed) ?? '') : ''
			}))
	);
}

/**
 * Refers the person to a partner agency. Refused, changing nothing, unless the person agreed
 * to their details being shared; the person sees the referral in their timeline.
 */
export function refer(
	actor: Actor,
	row: Pick<CaseRow, 'id'>,
	agencyId: string,
	reason: string
): Changed {
	return changeCase(actor, row, (tx, now) => {
		if (!now.consentShare) return refuse('agency', 'noConsent');
		const agency = tx
			.select()
			.from(partnerAgencies)
			.where(and(eq(partnerAgencies.id, agencyId), eq(partnerAgencies.active, true)))
			.get();
		if (!agency) return refuse('agency', 'agency');
		tx.insert(partnerReferrals)
			.values({
				caseId: now.id,
				agencyId: agency.id,
				reasonSealed: seal(reason)!,
				// Until per-agency consent (#16) replaces it, the referral-time consent sends at once.
				status: 'sent',
				sentAt: now.updatedAt,
				actorId: actor.userId
			})
			.run();
		return {
			audit: 'partner_referral_sent',
			event: { kind: 'partner_sent', visible: true, params: { agency: agency.name } }
		};
	});
}

/** Records what the agency did with the referral; the person sees each change. */
export function setStatus(
	actor: Actor,
	row: Pick<CaseRow, 'id'>,
	referralId: string,
	status: PartnerReferralStatus
): Changed {
	return changeCase(actor, row, (tx, now) => {
		const found = tx
			.select({
				id: partnerReferrals.id,
				status: partnerReferrals.status,
				agency: partnerAgencies.name
			})
			.from(partnerReferrals)
			.innerJoin(partnerAgencies, eq(partnerAgencies.id, partnerReferrals.agencyId))
			.where(and(eq(partnerReferrals.id, referralId), eq(partnerReferrals.caseId, now.id)))
			.get();
		if (!found) return refuse('form', 'notChanged');
		if (found.status === status) return refuse('form', 'sameStatus');
		tx.update(partnerReferrals)
			.set({ status, updatedAt: new Date() })
			.where(eq(partnerReferrals.id, found.id))
			.run();
		return {
			audit: 'partner_referral_updated',
			event: { kind: `partner_${status}`, visible: true, params: { agency: found.agency } }
		};
	});
}

/** Every agency, active or not, for the admins who keep the list. */
export function allAgencies() {
	return database().select().from(partnerAgencies).orderBy(asc(partnerAgencies.name)).all();
}

/** The id an agency gets from its name: lower case, words joined by hyphens. */
export function agencyId(name: string): string {
	return name
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, 60);
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
 * it is only not offered for new ones.
 */
export function setActive(actor: Actor, id: string, active: boolean): Changed {
	const done = database().transaction((tx) => {
		const updated = tx
			.update(partnerAgencies)
			.set({ active })
			.where(eq(partnerAgencies.id, id))
			.run();
		if (updated.changes !== 1) return false;
		audit.record('agency_changed', { id: actor.userId, role: actor.role }, {}, tx);
		return true;
	});
	if (!done) return { ok: false, field: 'form', error: 'staff.errors.notChanged' };
	return { ok: true };
}
