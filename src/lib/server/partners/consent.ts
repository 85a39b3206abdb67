import { and, eq, inArray } from 'drizzle-orm';
import type { Actor, CaseRow } from '$lib/server/cases/access';
import { changeCase, refuse, type Changed, type Tx } from '$lib/server/cases/command';
import { seal } from '$lib/server/crypto';
import { partnerAgencies, partnerReferrals, type overrideBases } from '$lib/server/db/schema';
import { noticeToAgency } from './notices';
import { agencyStatuses } from './work';

// Per-agency consent (issue #16): nothing is shared with a partner agency until the person agrees
// to that agency, in their portal or as their caseworker records; only a high-risk (MARAC) case
// or a child at risk may be shared without it, with the ground and a written reason. Every step
// is a case change (cases/command.ts): one transaction with its timeline event and audit row.

export type OverrideBasis = (typeof overrideBases)[number];

/** The person whose case it is, as the portal gives them. */
export interface Person {
	userId: string;
}

/** The statuses in which a referral is open: a second one to the same agency is refused. */
const open = ['proposed', 'sent', 'accepted'] as const;
/**
 * The statuses in which the agency can open what was shared (work.ts): the person may withdraw,
 * "at any time", as their page promises, so after the agency has declined or finished too.
 */
const shared = agencyStatuses;

type Referral = typeof partnerReferrals.$inferSelect & { agency: string; agencyActive: boolean };

function referralOn(tx: Tx, caseId: string, referralId: string): Referral | undefined {
	return tx
		.select({
			referral: partnerReferrals,
			agency: partnerAgencies.name,
			agencyActive: partnerAgencies.active
		})
		.from(partnerReferrals)
		.innerJoin(partnerAgencies, eq(partnerAgencies.id, partnerReferrals.agencyId))
		.where(and(eq(partnerReferrals.id, referralId), eq(partnerReferrals.caseId, caseId)))
		.all()
		.map(({ referral, agency, agencyActive }) => ({ ...referral, agency, agencyActive }))[0];
}

function hasOpenReferral(tx: Tx, caseId: string, agencyId: string): boolean {
	return Boolean(
		tx
			.select({ id: partnerReferrals.id })
			.from(partnerReferrals)
			.where(
				and(
					eq(partnerReferrals.caseId, caseId),
					eq(partnerReferrals.agencyId, agencyId),
					inArray(partnerReferrals.status, [...open])
				)
			)
			.get()
	);
}

function activeAgency(tx: Tx, agencyId: string) {
	return tx
		.select()
		.from(partnerAgencies)
		.where(and(eq(partnerAgencies.id, agencyId), eq(partnerAgencies.active, true)))
		.get();
}

/**
 * Proposes a referral to an agency: nothing is shared yet. The person is asked in their portal,
 * and shown `summary`, the only thing the agency will see; `reason` stays with our staff.
 * Refused while the case has an open referral to the same agency.
 */
export function propose(
	actor: Actor,
	row: Pick<CaseRow, 'id'>,
	agencyId: string,
	{ reason, summary }: { reason: string; summary: string }
): Changed {
	return changeCase(actor, row, (tx, now) => {
		const agency = activeAgency(tx, agencyId);
		if (!agency) return refuse('agency', 'agency');
		if (hasOpenReferral(tx, now.id, agency.id)) return refuse('agency', 'alreadyOpen');
		tx.insert(partnerReferrals)
			.values({
				caseId: now.id,
				agencyId: agency.id,
				reasonSealed: seal(reason)!,
				summarySealed: seal(summary),
				status: 'proposed',
				actorId: actor.userId
			})
			.run();
		return {
			audit: 'partner_referral_proposed',
			// The person's /my asks them; their timeline shows their answer, not the question. They
			// are told there is something new, by a route they said is safe.
			event: { kind: 'partner_proposed', visible: false, params: { agency: agency.name } },
			notify: { kind: 'case_updated', audience: 'person' }
		};
	});
}

/**
 * A refusal as the person's portal shows it: `my.details.closed` for a case that can no longer
 * change, else `why` under `my.sharing.errors`.
 */
function forPerson(result: Changed, why: 'notWaiting' | 'notShared'): Changed {
	if (result.ok) return result;
	const ended = ['staff.errors.closed', 'staff.errors.anonymised'].includes(result.error);
	const off = result.error === 'staff.errors.agencyOff';
	return {
		ok: false,
		field: 'form',
		error: ended
			? 'my.details.closed'
			: off
				? 'my.sharing.errors.ended'
				: `my.sharing.errors.${why}`
	};
}

/**
 * The person's own answer to a proposed referral, in their portal: yes sends it to the agency
 * (and tells the agency's inbox), no refuses it and nothing is shared. Either way their named
 * contact is told.
 */
export function answer(
	person: Person,
	row: Pick<CaseRow, 'id'>,
	referralId: string,
	agreed: 'yes' | 'no'
): Changed {
	const actor = { userId: person.userId, role: 'person' as const };
	const result = changeCase(actor, row, (tx, now) => {
		const referral = referralOn(tx, now.id, referralId);
		if (!referral || referral.status !== 'proposed') return refuse('form', 'notWaiting');
		// An agency an admin switched off takes no referrals; its question is not shown meanwhile.
		if (!referral.agencyActive) return refuse('form', 'agencyOff');
		const at = new Date();
		if (agreed === 'no') {
			tx.update(partnerReferrals)
				.set({ status: 'refused', updatedAt: at })
				.where(eq(partnerReferrals.id, referral.id))
				.run();
			return {
				audit: 'partner_consent_refused',
				event: { kind: 'partner_refused', visible: true, params: { agency: referral.agency } },
				notify: { kind: 'partner_answer', audience: 'staff' }
			};
		}
		send(tx, referral, {
			consentBasis: 'portal',
			consentAt: at,
			consentBy: person.userId
		});
		return {
			audit: 'partner_consent_given',
			event: { kind: 'partner_sent', visible: true, params: { agency: referral.agency } },
			notify: { kind: 'partner_answer', audience: 'staff' }
		};
	});
	return forPerson(result, 'notWaiting');
}

/**
 * Records that the person agreed outside the portal (on the phone, in person), with how and when
 * in the caseworker's words, and sends the referral. Also after a "no" in the portal, when the
 * person has since changed their mind.
 */
export function recordConsent(
	actor: Actor,
	row: Pick<CaseRow, 'id'>,
	referralId: string,
	note: string
): Changed {
	return changeCase(actor, row, (tx, now) => {
		const referral = referralOn(tx, now.id, referralId);
		if (!referral) return refuse('form', 'notChanged');
		if (referral.status !== 'proposed' && referral.status !== 'refused') {
			return refuse('consentNote', 'notWaiting');
		}
		if (!referral.agencyActive) return refuse('consentNote', 'agencyOff');
		if (referral.status === 'refused' && hasOpenReferral(tx, now.id, referral.agencyId)) {
			return refuse('consentNote', 'alreadyOpen');
		}
		send(tx, referral, {
			consentBasis: 'recorded',
			consentNoteSealed: seal(note),
			consentAt: new Date(),
			consentBy: actor.userId
		});
		return {
			audit: 'partner_consent_recorded',
			event: { kind: 'partner_sent', visible: true, params: { agency: referral.agency } }
		};
	});
}

/** What a referral shared without consent is: one already proposed (or refused), or a new one. */
export type OverrideTarget = { referralId: string } | { agencyId: string; summary: string };

/**
 * Shares with an agency without the person's consent: only on a high-risk (MARAC) case, or for
 * a child at risk, with a written reason; refused otherwise, changing nothing. The reason is
 * sealed on the referral, the ground is in the audit trail, and supervisors see every one at
 * /staff/sharing. An existing proposal (or refusal) to the agency is the one sent; without one,
 * a new referral is made, so the person is never asked first where asking is not safe. The
 * person's timeline does not show it: their named contact decides when telling them is safe.
 */
export function shareWithoutConsent(
	actor: Actor,
	row: Pick<CaseRow, 'id'>,
	target: OverrideTarget,
	basis: OverrideBasis,
	reason: string
): Changed {
	return changeCase(actor, row, (tx, now) => {
		if (basis !== 'marac' && basis !== 'child_at_risk') return refuse('basis', 'overrideBasis');
		if (basis === 'marac' && now.riskLevel !== 'high') return refuse('basis', 'notHighRisk');
		if (!reason.trim()) return refuse('overrideReason', 'overrideReason');
		let referral: Referral | undefined;
		if ('referralId' in target) {
			referral = referralOn(tx, now.id, target.referralId);
			if (!referral) return refuse('form', 'notChanged');
			if (!referral.agencyActive) return refuse('form', 'agencyOff');
		} else {
			const agency = activeAgency(tx, target.agencyId);
			if (!agency) return refuse('agency', 'agency');
			// One still waiting for the person's answer (or refused) is the one sent now.
			referral = tx
				.select({ referral: partnerReferrals })
				.from(partnerReferrals)
				.where(
					and(
						eq(partnerReferrals.caseId, now.id),
						eq(partnerReferrals.agencyId, agency.id),
						inArray(partnerReferrals.status, [...open])
					)
				)
				.all()
				.map((r) => ({ ...r.referral, agency: agency.name, agencyActive: true }))[0];
			if (referral && referral.status !== 'proposed') return refuse('agency', 'alreadyOpen');
			if (referral) {
				tx.update(partnerReferrals)
					.set({ summarySealed: seal(target.summary) })
					.where(eq(partnerReferrals.id, referral.id))
					.run();
			} else {
				referral = {
					...tx
						.insert(partnerReferrals)
						.values({
							caseId: now.id,
							agencyId: agency.id,
							// Why we refer is what is shared; why without consent is kept apart
							// (below), since a subject access export may withhold it.
							reasonSealed: seal(target.summary)!,
							summarySealed: seal(target.summary),
							status: 'proposed',
							actorId: actor.userId
						})
						.returning()
						.get(),
					agency: agency.name,
					agencyActive: true
				};
			}
		}
		if (referral.status !== 'proposed' && referral.status !== 'refused') {
			return refuse('form', 'notWaiting');
		}
		if (referral.status === 'refused' && hasOpenReferral(tx, now.id, referral.agencyId)) {
			return refuse('agency', 'alreadyOpen');
		}
		send(tx, referral, {
			consentBasis: 'override',
			overrideBasis: basis,
			overrideReasonSealed: seal(reason),
			consentAt: new Date(),
			consentBy: actor.userId
		});
		return {
			audit: 'partner_shared_without_consent',
			// The ground, never the reason: audit rows hold no sealed data.
			detail: basis,
			event: {
				kind: 'partner_shared_without_consent',
				visible: false,
				params: { agency: referral.agency, basis }
			},
			notify: { kind: 'shared_without_consent', audience: 'staff' }
		};
	});
}

/**
 * The person withdraws their consent to an agency they agreed to: the agency can no longer open
 * the referral, and its inbox is told. Sharing without consent is not theirs to withdraw. Also
 * once their case with us is closed: consent can be withdrawn at any time (UK GDPR Article
 * 7(3)), and the agency could otherwise open what was shared until the case is anonymised.
 */
export function withdraw(person: Person, row: Pick<CaseRow, 'id'>, referralId: string): Changed {
	const actor = { userId: person.userId, role: 'person' as const };
	const result = changeCase(
		actor,
		row,
		(tx, now) => {
			const referral = referralOn(tx, now.id, referralId);
			const withdrawable =
				referral &&
				(shared as readonly string[]).includes(referral.status) &&
				referral.consentBasis !== 'override';
			if (!referral || !withdrawable) return refuse('form', 'notWaiting');
			const at = new Date();
			tx.update(partnerReferrals)
				.set({ status: 'withdrawn', withdrawnAt: at, updatedAt: at })
				.where(eq(partnerReferrals.id, referral.id))
				.run();
			noticeToAgency(tx, referral.agencyId, 'withdrawn');
			return {
				audit: 'partner_consent_withdrawn',
				event: { kind: 'partner_withdrawn', visible: true, params: { agency: referral.agency } },
				notify: { kind: 'partner_answer', audience: 'staff' }
			};
		},
		{ evenClosed: true }
	);
	return forPerson(result, 'notShared');
}

/** Moves a referral to `sent` with how it was allowed, and tells the agency's inbox. */
function send(
	tx: Tx,
	referral: Referral,
	how: Partial<typeof partnerReferrals.$inferInsert> &
		Pick<typeof partnerReferrals.$inferInsert, 'consentBasis' | 'consentAt' | 'consentBy'>
): void {
	const at = how.consentAt ?? new Date();
	tx.update(partnerReferrals)
		.set({ ...how, status: 'sent', sentAt: at, updatedAt: at })
		.where(eq(partnerReferrals.id, referral.id))
		.run();
	noticeToAgency(tx, referral.agencyId, 'sent');
}
