import { and, desc, eq, lt, or } from 'drizzle-orm';
import * as audit from '$lib/server/audit';
import type { Actor } from '$lib/server/cases/access';
import { open as unseal } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { cases, partnerAgencies, partnerReferrals, users } from '$lib/server/db/schema';

// Every sharing without consent, for supervisors (issue #16: "audited, and shown to
// supervisors"), newest first, a page at a time by keyset on the partial index
// `partner_referrals_override` (consent_at), so a long history costs no more than its first page.

/** Rows on a page of the list. */
export const pageSize = 25;

/** Where a page ends: when it was shared (ms), then the referral's id. */
type Position = [at: number, id: string];

const cursorOf = (at: Date, id: string) =>
	Buffer.from(JSON.stringify([at.getTime(), id])).toString('base64url');

/** The position a cursor names; null for anything else (an edited URL starts at the top). */
function positionOf(cursor: string | undefined): Position | null {
	if (!cursor) return null;
	try {
		const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
		if (
			Array.isArray(value) &&
			value.length === 2 &&
			Number.isInteger(value[0]) &&
			// A time a Date can hold (±8.64e15 ms): past that it is "Invalid Date", bound as NULL,
			// and the page would show no sharing at all instead of starting at the top.
			Math.abs(value[0]) <= 8.64e15 &&
			typeof value[1] === 'string'
		) {
			return value as Position;
		}
	} catch {
		// Not a cursor we made.
	}
	return null;
}

/**
 * One page of the sharing done without consent, newest first: the case, the agency, the legal
 * ground, the reason (opened), who and when; and the cursor of the next page (null on the last).
 * Each case listed is recorded as viewed by the supervisor, since its reason is read here.
 */
export function withoutConsent(actor: Actor, after?: string, size = pageSize) {
	const from = positionOf(after);
	const rows = database()
		.select({
			id: partnerReferrals.id,
			caseId: cases.id,
			reference: cases.reference,
			agency: partnerAgencies.name,
			basis: partnerReferrals.overrideBasis,
			reasonSealed: partnerReferrals.overrideReasonSealed,
			by: users.email,
			at: partnerReferrals.consentAt,
			status: partnerReferrals.status
		})
		.from(partnerReferrals)
		.innerJoin(cases, eq(cases.id, partnerReferrals.caseId))
		.innerJoin(partnerAgencies, eq(partnerAgencies.id, partnerReferrals.agencyId))
		.leftJoin(users, eq(users.id, partnerReferrals.consentBy))
		.where(
			and(
				eq(partnerReferrals.consentBasis, 'override'),
				from
					? or(
							lt(partnerReferrals.consentAt, new Date(from[0])),
							and(
								eq(partnerReferrals.consentAt, new Date(from[0])),
								lt(partnerReferrals.id, from[1])
							)
						)
					: undefined
			)
		)
		.orderBy(desc(partnerReferrals.consentAt), desc(partnerReferrals.id))
		.limit(size + 1)
		.all();
	const shown = rows.slice(0, size);
	for (const caseId of new Set(shown.map((row) => row.caseId))) {
		audit.record('case_viewed', { id: actor.userId, role: actor.role }, { caseId });
	}
	const last = shown.at(-1);
	return {
		rows: shown.map(({ reasonSealed, caseId: _, at, ...row }) => ({
			...row,
			at: at!,
			// An anonymised case keeps the ground, not the words.
			reason: reasonSealed ? (unseal(reasonSealed) ?? '') : ''
		})),
		next: rows.length > size && last?.at ? cursorOf(last.at, last.id) : null
	};
}
