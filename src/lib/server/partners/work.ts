import { and, desc, eq, inArray, lt, or } from 'drizzle-orm';
import { handleOf } from '$lib/partner-handle';
import * as audit from '$lib/server/audit';
import {
	changeCase,
	type Changed,
	type Recorded,
	type Refusal,
	type Tx
} from '$lib/server/cases/command';
import { open as unseal, seal } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { partnerAgencies, partnerMessages, partnerReferrals } from '$lib/server/db/schema';

// A partner agency's side of a referral: what its workers see (only the summary the person
// agreed to share) and what they do (accept naming a worker, decline, rename, close). Every
// read is audited; every change goes through `changeCase`, so it is on the person's timeline
// and in the case's audit trail.

/** A signed-in partner worker, as the guard gives them: one agency. */
export interface PartnerActor {
	userId: string;
	role: 'partner';
	agencyId: string;
}

/** What an agency may see: a referral once shared, until the person withdraws consent. */
export const agencyStatuses = ['sent', 'accepted', 'declined', 'closed'] as const;
type AgencyStatus = (typeof agencyStatuses)[number];

/** How a partner worker closes a referral. */
export const partnerOutcomes = [
	'supported',
	'support_declined',
	'no_contact',
	'referred_elsewhere',
	'other'
] as const;
export type PartnerOutcome = (typeof partnerOutcomes)[number];

/** The longest worker name, decline reason and closing note, in characters. */
export const workerMaxLength = 60;
export const reasonMaxLength = 2000;

/** How many referrals a page of the agency's list shows. */
export const pageSize = 25;

/** The handle both sides use to talk about a referral (`$lib/partner-handle`). */
export { handleOf };

const e = (key: string) => `staff.partnerArea.errors.${key}`;
const refusal = (field: string, key: string): Refusal => ({ ok: false, field, error: e(key) });

/** A place in the list, between two referrals: `<updated_at ms>.<id>`. */
function parseCursor(text: string | null | undefined) {
	const match = /^(\d{1,15})\.([\w-]{1,64})$/.exec(text ?? '');
	return match ? { at: new Date(Number(match[1])), id: match[2]! } : null;
}

/**
 * One page of the agency's referrals, the most recently changed first: after `after` (the
 * cursor of the last row of the page before) when given. Only what the agency may see: an
 * opaque handle, when it was sent, its status and the worker named. Proposed, refused and
 * withdrawn referrals are not listed.
 */
export function referralsFor(partner: PartnerActor, { after }: { after?: string | null } = {}) {
	const cursor = parseCursor(after);
	const rows = database()
		.select({
			id: partnerReferrals.id,
			status: partnerReferrals.status,
			sentAt: partnerReferrals.sentAt,
			updatedAt: partnerReferrals.updatedAt,
			workerSealed: partnerReferrals.partnerWorkerSealed
		})
		.from(partnerReferrals)
		.where(
			and(
				eq(partnerReferrals.agencyId, partner.agencyId),
				inArray(partnerReferrals.status, agencyStatuses),
				cursor
					? or(
							lt(partnerReferrals.updatedAt, cursor.at),
							and(eq(partnerReferrals.updatedAt, cursor.at), lt(partnerReferrals.id, cursor.id))
						)
					: undefined
			)
		)
		.orderBy(desc(partnerReferrals.updatedAt), desc(partnerReferrals.id))
		.limit(pageSize + 1)
		.all();
	const shown = rows.slice(0, pageSize);
	const last = shown.at(-1);
	return {
		referrals: shown.map((row) => ({
			id: row.id,
			handle: handleOf(row.id),
			status: row.status as AgencyStatus,
			sentAt: row.sentAt,
			updatedAt: row.updatedAt,
			worker: unseal(row.workerSealed) ?? ''
		})),
		next: rows.length > pageSize && last ? `${last.updatedAt.getTime()}.${last.id}` : null
	};
}

/** The referral row if it is this agency's, whatever its status (null for any other). */
function ownRow(partner: PartnerActor, id: string) {
	if (id.length > 64) return null;
	return (
		database()
			.select()
			.from(partnerReferrals)
			.where(and(eq(partnerReferrals.id, id), eq(partnerReferrals.agencyId, partner.agencyId)))
			.get() ?? null
	);
}

export type Found =
	| { ok: true; id: string; caseId: string; status: AgencyStatus }
	| { ok: false; reason: 'not_found' | 'withdrawn' };

/**
 * Finds a referral this agency may work, without reading it: another agency's, one never sent
 * and a missing one are all "not found" (their existence is not revealed); one the person
 * withdrew from is "withdrawn" and can no longer be opened.
 */
export function find(partner: PartnerActor, id: string): Found {
	const row = ownRow(partner, id);
	if (row?.status === 'withdrawn') return { ok: false, reason: 'withdrawn' };
	if (!row || !(agencyStatuses as readonly string[]).includes(row.status)) {
		return { ok: false, reason: 'not_found' };
	}
	return { ok: true, id: row.id, caseId: row.caseId, status: row.status as AgencyStatus };
}

/**
 * Opens a referral for a partner worker: the summary the person agreed to share and the
 * agency's own answers, nothing else of the case. Every open writes an audit row on the case.
 */
export function openReferral(partner: PartnerActor, id: string) {
	const found = find(partner, id);
	if (!found.ok) return found;
	const row = ownRow(partner, id)!;
	const agency = database()
		.select({ name: partnerAgencies.name })
		.from(partnerAgencies)
		.where(eq(partnerAgencies.id, row.agencyId))
		.get();
	audit.record(
		'partner_referral_viewed',
		{ id: partner.userId, role: partner.role },
		{ caseId: row.caseId }
	);
	return {
		ok: true as const,
		/** Ours only, for checks on the case: never part of what the agency's page is sent. */
		caseId: row.caseId,
		referral: {
			id: row.id,
			handle: handleOf(row.id),
			agency: agency?.name ?? '',
			status: found.status,
			sentAt: row.sentAt,
			// An anonymised case keeps the row, with nothing left to read.
			summary: unseal(row.summarySealed) ?? '',
			worker: unseal(row.partnerWorkerSealed) ?? '',
			declineReason: unseal(row.declineReasonSealed) ?? '',
			outcome: row.outcome
		}
	};
}

/** A change the agency makes, from the statuses it may be made in. */
function answer(
	partner: PartnerActor,
	id: string,
	from: readonly AgencyStatus[],
	apply: (
		tx: Tx,
		row: typeof partnerReferrals.$inferSelect,
		agency: string
	) => { kind: string; params?: Record<string, string> }
): Changed {
	const found = find(partner, id);
	if (!found.ok) return refusal('form', found.reason === 'withdrawn' ? 'withdrawn' : 'notFound');
	// The agency finishes its own work whether or not our case with the person is still open:
	// closing the case must not leave a referral the agency can neither accept nor close.
	const change = (tx: Tx): Refusal | Recorded => {
		// Read again inside the write: the person may have withdrawn consent meanwhile.
		const row = tx
			.select()
			.from(partnerReferrals)
			.where(and(eq(partnerReferrals.id, id), eq(partnerReferrals.agencyId, partner.agencyId)))
			.get();
		if (!row) return refusal('form', 'notFound');
		if (row.status === 'withdrawn') return refusal('form', 'withdrawn');
		if (!(from as readonly string[]).includes(row.status)) return refusal('form', 'status');
		const agency =
			tx
				.select({ name: partnerAgencies.name })
				.from(partnerAgencies)
				.where(eq(partnerAgencies.id, row.agencyId))
				.get()?.name ?? '';
		const event = apply(tx, row, agency);
		return {
			audit: 'partner_referral_answered',
			detail: event.kind,
			event: {
				kind: event.kind,
				// Shared without the person's consent (consent.ts): the person was not told of the
				// referral, so not of the agency's answer either (nor sent a notice of something new);
				// their named contact decides when telling them is safe. Staff see it as ever.
				visible: row.consentBasis !== 'override',
				params: { agency, ...event.params }
			},
			// The named contact hears there is something new (nothing of what), as for a message.
			notify: { kind: 'partner_answered', audience: 'staff' }
		};
	};
	return changeCase({ userId: partner.userId, role: partner.role }, found.caseId, change, {
		evenClosed: true
	});
}

const touch = (tx: Tx, id: string, set: Partial<typeof partnerReferrals.$inferInsert>) =>
	tx
		.update(partnerReferrals)
		.set({ ...set, updatedAt: new Date() })
		.where(eq(partnerReferrals.id, id))
		.run();

/** Accepts a referral, naming the worker the person is told of ("your worker there is Sam"). */
export function accept(partner: PartnerActor, id: string, worker: string): Changed {
	return answer(partner, id, ['sent'], (tx, row) => {
		touch(tx, row.id, {
			status: 'accepted',
			partnerUserId: partner.userId,
			partnerWorkerSealed: seal(worker)
		});
		return { kind: 'partner_accepted_worker', params: { worker } };
	});
}

/** Names a new worker on an accepted referral; the person is told who. */
export function nameWorker(partner: PartnerActor, id: string, worker: string): Changed {
	return answer(partner, id, ['accepted'], (tx, row) => {
		touch(tx, row.id, { partnerUserId: partner.userId, partnerWorkerSealed: seal(worker) });
		return { kind: 'partner_worker_changed', params: { worker } };
	});
}

/**
 * Declines a referral with a reason, sealed: the caseworker reads it; the person is told only
 * that the agency cannot help and that their named contact will talk with them.
 */
export function decline(partner: PartnerActor, id: string, reason: string): Changed {
	return answer(partner, id, ['sent'], (tx, row) => {
		touch(tx, row.id, {
			status: 'declined',
			partnerUserId: partner.userId,
			declineReasonSealed: seal(reason)
		});
		return { kind: 'partner_declined' };
	});
}

/**
 * Closes an accepted referral with an outcome. A closing note, if any, goes to the caseworker
 * as a message in the referral's conversation (sealed like every message).
 */
export function close(
	partner: PartnerActor,
	id: string,
	outcome: PartnerOutcome,
	note: string
): Changed {
	return answer(partner, id, ['accepted'], (tx, row) => {
		touch(tx, row.id, { status: 'closed', outcome });
		if (note) {
			tx.insert(partnerMessages)
				.values({
					partnerReferralId: row.id,
					side: 'partner',
					authorId: partner.userId,
					bodySealed: seal(note)!
				})
				.run();
		}
		return { kind: 'partner_closed' };
	});
}

/**
 * A referral as our staff see it on the case's partner page: the agency's answers (its worker,
 * why it declined, the outcome) beside what was shared. The route has checked the case and
 * audited the view; null if the referral is not on this case.
 */
export function forStaff(caseId: string, id: string) {
	if (id.length > 64) return null;
	const row = database()
		.select({ referral: partnerReferrals, agency: partnerAgencies.name })
		.from(partnerReferrals)
		.innerJoin(partnerAgencies, eq(partnerAgencies.id, partnerReferrals.agencyId))
		.where(and(eq(partnerReferrals.id, id), eq(partnerReferrals.caseId, caseId)))
		.get();
	if (!row) return null;
	const r = row.referral;
	return {
		id: r.id,
		handle: handleOf(r.id),
		agency: row.agency,
		status: r.status,
		sentAt: r.sentAt,
		summary: unseal(r.summarySealed) ?? '',
		worker: unseal(r.partnerWorkerSealed) ?? '',
		declineReason: unseal(r.declineReasonSealed) ?? '',
		outcome: r.outcome as PartnerOutcome | null
	};
}
