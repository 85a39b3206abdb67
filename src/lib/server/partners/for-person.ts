import { and, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { open as unseal } from '$lib/server/crypto';
import { database, prepared } from '$lib/server/db';
import { partnerAgencies, partnerReferrals } from '$lib/server/db/schema';
import { agencyStatuses } from './work';

// What the person sees of their partner referrals in their portal. Sharing without consent is not
// among it: their named contact decides when telling them is safe (partners/consent.ts).
const notOverride = or(
	isNull(partnerReferrals.consentBasis),
	ne(partnerReferrals.consentBasis, 'override')
);

// /my reads the waiting questions on every visit: built once (`prepared`).
const waitingOn = prepared((db) =>
	db
		.select({ id: partnerReferrals.id, agency: partnerAgencies.name })
		.from(partnerReferrals)
		.innerJoin(partnerAgencies, eq(partnerAgencies.id, partnerReferrals.agencyId))
		.where(
			and(
				eq(partnerReferrals.caseId, sql.placeholder('caseId')),
				eq(partnerReferrals.status, 'proposed'),
				// One to an agency an admin has switched off waits, unasked, until it is back.
				eq(partnerAgencies.active, true)
			)
		)
		.orderBy(desc(partnerReferrals.createdAt))
		.prepare()
);

/** The proposed referrals waiting for the person's yes or no, newest first. */
export function waiting(caseId: string) {
	return waitingOn().all({ caseId });
}

/** The agencies the person agreed to share with that can still open it: they may withdraw. */
export function sharedWith(caseId: string) {
	return database()
		.select({
			id: partnerReferrals.id,
			agencyId: partnerReferrals.agencyId,
			agency: partnerAgencies.name,
			sentAt: partnerReferrals.sentAt
		})
		.from(partnerReferrals)
		.innerJoin(partnerAgencies, eq(partnerAgencies.id, partnerReferrals.agencyId))
		.where(
			and(
				eq(partnerReferrals.caseId, caseId),
				inArray(partnerReferrals.status, [...agencyStatuses]),
				notOverride
			)
		)
		.orderBy(desc(partnerReferrals.sentAt))
		.all();
}

/**
 * One of the person's own referrals, for the page that asks them or lets them withdraw: null
 * when it is not on their case, or was shared without their consent.
 */
export function own(caseId: string, referralId: string) {
	const found = database()
		.select({
			id: partnerReferrals.id,
			agencyId: partnerReferrals.agencyId,
			agency: partnerAgencies.name,
			does: partnerAgencies.does,
			status: partnerReferrals.status,
			active: partnerAgencies.active,
			summarySealed: partnerReferrals.summarySealed
		})
		.from(partnerReferrals)
		.innerJoin(partnerAgencies, eq(partnerAgencies.id, partnerReferrals.agencyId))
		.where(
			and(eq(partnerReferrals.id, referralId), eq(partnerReferrals.caseId, caseId), notOverride)
		)
		.get();
	if (!found) return null;
	const { summarySealed, active, ...rest } = found;
	return {
		...rest,
		summary: summarySealed ? (unseal(summarySealed) ?? '') : '',
		// The person is asked (consent.ts `answer`): proposed, to an agency taking referrals.
		waiting: found.status === 'proposed' && active,
		// Shared, and the agency can still open it: the person may stop sharing (consent.ts).
		sharing: (agencyStatuses as readonly string[]).includes(found.status)
	};
}
