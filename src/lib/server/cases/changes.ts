import { and, count, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { seal } from '$lib/server/crypto';
import {
	cases,
	courtHearings,
	courtRequests,
	messages,
	partnerReferrals,
	users,
	type caseOutcomes
} from '$lib/server/db/schema';
import type { riskLevels } from '$lib/server/db/schema';
import { oversees, type Actor, type CaseRow } from './access';
import { changeCase, closeCase, refuse, type Changed, type Tx } from './command';
import { firstContactDue } from './clock';
import { dashScore, needsMarac } from './dash';
import { firstName } from './record';

export type { Changed, Refusal } from './command';

/** A supervisor names (or changes) the person's named contact; the person is told who. */
export function assign(actor: Actor, row: Pick<CaseRow, 'id'>, caseworkerId: string): Changed {
	if (!oversees(actor)) return refuse('caseworker', 'supervisorOnly');
	return changeCase(actor, row, (tx, now) => {
		const contact = tx
			.select()
			.from(users)
			.where(
				and(
					eq(users.id, caseworkerId),
					inArray(users.role, ['caseworker', 'supervisor']),
					isNull(users.deactivatedAt)
				)
			)
			.get();
		if (!contact) return refuse('caseworker', 'caseworker');
		if (contact.id === now.caseworkerId) return refuse('caseworker', 'sameCaseworker');
		const status = now.status === 'new' || now.status === 'in_triage' ? 'assigned' : now.status;
		tx.update(cases).set({ caseworkerId: contact.id, status }).where(eq(cases.id, now.id)).run();
		return {
			audit: 'contact_assigned',
			subjectId: contact.id,
			event: {
				kind: now.caseworkerId ? 'contact_changed' : 'contact_assigned',
				visible: true,
				params: { name: firstName(contact.nameSealed), role: contact.role }
			}
		};
	});
}

/** The statuses a case can be moved to by hand (closing has its own action, with an outcome). */
export const manualStatuses = ['in_triage', 'assigned', 'support', 'court'] as const;

/** Moves the case on (or back); the person sees the new stage in their timeline. */
export function setStatus(
	actor: Actor,
	row: Pick<CaseRow, 'id'>,
	status: (typeof manualStatuses)[number]
): Changed {
	return changeCase(actor, row, (tx, now) => {
		if (status === now.status) return refuse('status', 'sameStatus');
		if (status === 'assigned' && !now.caseworkerId) return refuse('status', 'assignFirst');
		tx.update(cases).set({ status }).where(eq(cases.id, now.id)).run();
		return { audit: 'status_changed', event: { kind: `status_${status}`, visible: true } };
	});
}

/**
 * What a case still has open that closing would strand: a hearing ahead, court requests not dealt
 * with, the person's last message unanswered, partner referrals an agency is still working on.
 * Each is the number of them (the message: 1 or 0).
 */
export function openWork(tx: Pick<Tx, 'select'>, caseId: string, at = new Date()) {
	const n = (query: { n: number } | undefined) => query?.n ?? 0;
	const hearings = n(
		tx
			.select({ n: count() })
			.from(courtHearings)
			.where(and(eq(courtHearings.caseId, caseId), gt(courtHearings.startsAt, at)))
			.get()
	);
	const requests = n(
		tx
			.select({ n: count() })
			.from(courtRequests)
			.where(and(eq(courtRequests.caseId, caseId), isNull(courtRequests.doneAt)))
			.get()
	);
	const last = tx
		.select({ side: messages.side })
		.from(messages)
		.where(eq(messages.caseId, caseId))
		.orderBy(desc(messages.createdAt), desc(messages.id))
		.limit(1)
		.get();
	const referrals = n(
		tx
			.select({ n: count() })
			.from(partnerReferrals)
			.where(
				and(
					eq(partnerReferrals.caseId, caseId),
					inArray(partnerReferrals.status, ['sent', 'accepted'])
				)
			)
			.get()
	);
	return { hearings, requests, message: last?.side === 'person' ? 1 : 0, referrals };
}

/**
 * Closes the case with an outcome; from then on the record is read-only. A case with work still
 * open (`openWork`) is closed only when the closer says so (`anyway`): the refusal names what is
 * open, so a witness is not left without support before their hearing by a slip.
 */
export function close(
	actor: Actor,
	row: Pick<CaseRow, 'id'>,
	outcome: (typeof caseOutcomes)[number],
	anyway = false
): Changed {
	return changeCase(actor, row, (tx, now) => {
		const open = Object.values(openWork(tx, now.id)).some((count) => count > 0);
		if (open && !anyway) return refuse('anyway', 'closeOpenWork');
		closeCase(tx, now.id, outcome, new Date());
		return {
			audit: 'status_changed',
			event: { kind: 'status_closed', visible: true, params: { outcome } }
		};
	});
}

/**
 * Opens a closed case again: closed by mistake, or the person has come back about the same harm.
 * A supervisor's decision, with the reason kept in the audit trail and the staff timeline. The
 * case goes back to its named contact ("assigned") if they are still an active caseworker or
 * supervisor, or else to triage with none; its outcome and closing time are cleared, so retention
 * no longer counts from them, and a first contact not yet made is due afresh. The person sees the
 * stage in their timeline and is told there is something new, by a route they said is safe. What
 * closing cancelled (a partner referral still waiting for the person's answer) stays cancelled;
 * an anonymised or erased case has nothing left to open.
 */
export function reopen(actor: Actor, row: Pick<CaseRow, 'id'>, reason: string): Changed {
	if (!oversees(actor)) return refuse('reopenReason', 'supervisorOnlyReopen');
	return changeCase(
		actor,
		row,
		(tx, now) => {
			if (now.status !== 'closed') return refuse('reopenReason', 'notClosed');
			// Back to the named contact only if they still work here as one (as `assign` requires).
			const contact = now.caseworkerId
				? tx
						.select({ id: users.id })
						.from(users)
						.where(
							and(
								eq(users.id, now.caseworkerId),
								inArray(users.role, ['caseworker', 'supervisor']),
								isNull(users.deactivatedAt)
							)
						)
						.get()
				: undefined;
			const status = contact ? 'assigned' : 'in_triage';
			const at = new Date();
			tx.update(cases)
				.set({
					status,
					caseworkerId: contact?.id ?? null,
					outcome: null,
					closedAt: null,
					// Not contacted yet: the time allowed for a first contact starts again now, or the
					// case would be overdue from the moment it opens, and the person's portal would
					// promise a day already past.
					...(now.firstContactAt ? {} : { firstContactDueAt: firstContactDue(at, now.priority) })
				})
				.where(eq(cases.id, now.id))
				.run();
			return {
				audit: 'case_reopened',
				detail: reason,
				// The named contact reads why in the timeline; only supervisors read the audit trail.
				why: { kind: 'case_reopened', visible: false, params: { reason } },
				event: { kind: `status_${status}`, visible: true },
				// The case was closed when this began, so the event alone would not tell them.
				notify: { kind: 'case_updated', audience: 'person' }
			};
		},
		{ evenClosed: true }
	);
}

/** Records the first contact made with the person, by a route they said is safe. */
export function recordFirstContact(
	actor: Actor,
	row: Pick<CaseRow, 'id'>,
	channel: string
): Changed {
	return changeCase(actor, row, (tx, now) => {
		if (now.firstContactAt) return refuse('channel', 'alreadyContacted');
		// Staff only contact people by routes they said are safe (DESIGN rule 1).
		if (!now.safeChannels.some((safe) => safe === channel)) {
			return refuse('channel', 'unsafeChannel');
		}
		tx.update(cases).set({ firstContactAt: new Date() }).where(eq(cases.id, now.id)).run();
		return {
			audit: 'first_contact_recorded',
			event: { kind: 'first_contact', visible: false, params: { channel } }
		};
	});
}

/** Adds an internal note, sealed; the person never sees it. */
export function addNote(actor: Actor, row: Pick<CaseRow, 'id'>, text: string): Changed {
	return changeCase(actor, row, () => ({
		audit: 'note_added',
		event: { kind: 'note', visible: false, params: { sealed: seal(text)! } }
	}));
}

/** Records the needs found in assessment and the caseworker's risk level (internal). */
/**
 * What the needs form showed when it was opened: the needs and risk level saved then. The form
 * sends it back, so a save replaces only what its author saw (see `updateNeeds`).
 */
export function needsShown(row: Pick<CaseRow, 'needs' | 'riskLevel'>): string {
	return `${[...(row.needs ?? [])].sort().join(',')}|${row.riskLevel ?? ''}`;
}

const sameAnswers = (a: readonly string[], b: readonly string[] | null) =>
	b !== null && a.length === b.length && a.every((answer) => b.includes(answer));

/** Which DASH checklist the DASH form showed: when the latest was recorded, or none. */
export function dashShown(row: Pick<CaseRow, 'dashAt'>): string {
	return row.dashAt ? String(row.dashAt.getTime()) : 'none';
}

/**
 * Saves the needs and risk level. The form replaces both, so one opened before a colleague saved
 * theirs would quietly undo it (a need taken off, a risk lowered): given what the form showed
 * (`needsShown` then), a save over a change made since is refused, and the page shows what is
 * saved now beside the author's choices, to save again knowingly.
 */
export function updateNeeds(
	actor: Actor,
	row: Pick<CaseRow, 'id'>,
	needs: string[],
	riskLevel: (typeof riskLevels)[number],
	shown?: string
): Changed {
	return changeCase(actor, row, (tx, now) => {
		// Not sent ('' as forms read an absent field): a page from before this check, taken as is.
		if (shown && shown !== needsShown(now)) {
			// The same form sent twice (a double click, a reload that posts again) is saved already.
			if (needsShown({ needs, riskLevel }) === needsShown(now)) return { ok: true };
			return refuse('needs', 'changedSince');
		}
		// A DASH at the MARAC threshold makes the risk high (`recordDash`): a needs form cannot
		// lower it, least of all one loaded before a colleague recorded that DASH. A new DASH can.
		if (needsMarac(now.dashScore) && riskLevel !== 'high') {
			return refuse('riskLevel', 'riskBelowDash');
		}
		tx.update(cases).set({ needs, riskLevel }).where(eq(cases.id, now.id)).run();
		return {
			audit: 'needs_updated',
			event: {
				kind: 'needs_updated',
				visible: false,
				params: { needs: needs.join(','), riskLevel }
			}
		};
	});
}

/**
 * Records a DASH checklist: the answers sealed, the score kept, and (at 14 or more) the case
 * flagged for a MARAC referral. All internal: the score is never shown to the person.
 */
export function recordDash(
	actor: Actor,
	row: Pick<CaseRow, 'id'>,
	yes: string[],
	/** Which checklist the form showed (`dashShown`): one recorded since is not overwritten. */
	shown?: string
): Changed & { score?: number } {
	const score = dashScore(yes);
	const changed = changeCase(actor, row, (tx, now) => {
		if (shown && shown !== dashShown(now)) {
			if (sameAnswers(yes, now.dash)) return { ok: true }; // sent twice: recorded already
			return refuse('yes', 'dashChangedSince');
		}
		tx.update(cases)
			.set({
				dashScore: score,
				dash: yes,
				dashAt: new Date(),
				...(needsMarac(score) ? { riskLevel: 'high' as const } : {})
			})
			.where(eq(cases.id, now.id))
			.run();
		return {
			audit: 'dash_recorded',
			event: {
				kind: needsMarac(score) ? 'dash_marac' : 'dash_recorded',
				visible: false,
				params: { score: String(score) }
			}
		};
	});
	return changed.ok ? { ok: true, score } : changed;
}
