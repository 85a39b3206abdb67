import { and, eq, inArray, isNotNull, isNull, like, ne, or } from 'drizzle-orm';
import {
	caseEvents,
	caseNameTokens,
	cases,
	courtHearings,
	courtRequests,
	emailLinks,
	messages,
	outbox,
	partnerMessages,
	partnerReferrals,
	referralDrafts,
	referrals,
	sessions,
	signInFailures,
	users,
	caseOutcomes
} from '$lib/server/db/schema';
import { oversees, type Actor, type CaseRow } from './access';
import { changeCase, closeCase, refuse, type Changed, type Tx } from './command';
import { noticeToAgency } from '$lib/server/partners/notices';
import { noteErasure, type Erasure } from '$lib/server/lifecycle/erasure-ledger.js';

type CaseOutcome = (typeof caseOutcomes)[number];

// The data lifecycle of a case (issue #17): a legal hold, erasure on request, and anonymising
// once the retention period has passed. Each is a change through the case command, so it is
// one transaction with its audit row; each acts on closed cases too (`evenClosed`).

/** A legal hold's or an erasure's reason is kept in clear in the audit trail: staff words only. */
export const reasonMaxLength = 500;

/**
 * Puts the case on legal hold (litigation, a police or court request): while set, retention
 * does not anonymise it and it cannot be erased. Supervisors and admins only, with a reason.
 */
export function setLegalHold(actor: Actor, row: Pick<CaseRow, 'id'>, reason: string): Changed {
	if (!oversees(actor)) return refuse('holdReason', 'supervisorOnlyLifecycle');
	return changeCase(
		actor,
		row,
		(tx, now) => {
			if (now.legalHoldAt) return refuse('holdReason', 'alreadyHeld');
			tx.update(cases)
				.set({ legalHoldReason: reason, legalHoldAt: new Date(), legalHoldBy: actor.userId })
				.where(eq(cases.id, now.id))
				.run();
			return {
				audit: 'legal_hold_set',
				detail: reason,
				event: { kind: 'legal_hold_set', visible: false, params: { reason } }
			};
		},
		{ evenClosed: true }
	);
}

/** Lifts the case's legal hold, with a reason; retention and erasure apply again. */
export function liftLegalHold(actor: Actor, row: Pick<CaseRow, 'id'>, reason: string): Changed {
	if (!oversees(actor)) return refuse('holdReason', 'supervisorOnlyLifecycle');
	return changeCase(
		actor,
		row,
		(tx, now) => {
			if (!now.legalHoldAt) return refuse('holdReason', 'notHeld');
			tx.update(cases)
				.set({ legalHoldReason: null, legalHoldAt: null, legalHoldBy: null })
				.where(eq(cases.id, now.id))
				.run();
			return {
				audit: 'legal_hold_lifted',
				detail: reason,
				event: { kind: 'legal_hold_lifted', visible: false, params: { reason } }
			};
		},
		{ evenClosed: true }
	);
}

/**
 * Erases the case on the person's request (UK GDPR Article 17): supervisors and admins only,
 * with a reason, refused while a legal hold is set. An open case is closed with `outcome` in the
 * same transaction; then everything personal is deleted as retention would (`wipe`), and the
 * case's facts stay for reports. The audit row keeps the reason.
 */
export function erase(
	actor: Actor,
	row: Pick<CaseRow, 'id'>,
	reason: string,
	outcome: CaseOutcome | null
): Changed {
	if (!oversees(actor)) return refuse('reason', 'supervisorOnlyLifecycle');
	let erasure: Erasure | undefined;
	const done = changeCase(
		actor,
		row,
		(tx, now) => {
			if (now.legalHoldAt) return refuse('reason', 'onLegalHold');
			const at = new Date();
			if (now.status !== 'closed') {
				if (!outcome) return refuse('outcome', 'outcome');
				closeCase(tx, now.id, outcome, at);
			}
			tellAgencies(tx, now.id);
			wipe(tx, now, at, { erased: true });
			erasure = { caseId: now.id, erasedAt: at, outcome: now.outcome ?? outcome ?? 'other' };
			return { audit: 'case_erased', subjectId: now.personId, detail: reason };
		},
		{ evenClosed: true }
	);
	// Once committed, beside the backups too: restoring one taken before now must not bring the
	// person's details back (lifecycle/erasures.ts re-applies the ledger at start-up).
	if (done.ok && erasure) noteErasure(erasure);
	return done;
}

/**
 * Tells every agency the person's details were ever sent to that they were erased (UK GDPR
 * Article 19), content-free, in the erasure's transaction before the words go.
 */
function tellAgencies(tx: Tx, caseId: string): void {
	const told = tx
		.selectDistinct({ agencyId: partnerReferrals.agencyId })
		.from(partnerReferrals)
		.where(and(eq(partnerReferrals.caseId, caseId), isNotNull(partnerReferrals.sentAt)))
		.all();
	for (const { agencyId } of told) noticeToAgency(tx, agencyId, 'erased');
}

/**
 * Erases again a case the erasure ledger says was erased, found whole in a restored backup taken
 * before that (lifecycle/erasures.ts, at start-up): the service does it (no actor). An open case
 * closes with the outcome it was erased with, a legal hold in the older copy is lifted (the
 * erasure came after it ended), and the person's details are wiped as the erasure wiped them.
 * Every agency it was sent to is told again: the first notices may not have gone before the loss.
 */
export function replayErasure(erasure: Erasure): Changed {
	return changeCase(
		null,
		erasure.caseId,
		(tx, now) => {
			const outcome = (caseOutcomes as readonly string[]).includes(erasure.outcome)
				? (erasure.outcome as CaseOutcome)
				: 'other';
			if (now.status !== 'closed') closeCase(tx, now.id, outcome, erasure.erasedAt);
			// The agencies were told at the erasure, but the notices may have been lost with what the
			// backup lacks; one more content-free notice is harmless, a missing one is not.
			tellAgencies(tx, now.id);
			tx.update(cases)
				.set({ legalHoldReason: null, legalHoldAt: null, legalHoldBy: null })
				.where(eq(cases.id, now.id))
				.run();
			wipe(tx, now, erasure.erasedAt, { erased: true });
			return {
				audit: 'case_erasure_reapplied',
				subjectId: now.personId,
				detail: `Erased on ${erasure.erasedAt.toISOString()}; a restored backup still held it.`
			};
		},
		{ evenClosed: true }
	);
}

/**
 * Anonymises one closed case whose retention period ended before `closedBefore`: the service
 * does it (no actor). Checked again inside the transaction, so a hold set, or a case reopened,
 * a moment ago is respected.
 */
export function anonymise(caseId: string, closedBefore: Date, now = new Date()): Changed {
	return changeCase(
		null,
		caseId,
		(tx, row) => {
			if (row.status !== 'closed' || !row.closedAt || row.closedAt >= closedBefore) {
				return refuse('form', 'notChanged');
			}
			if (row.legalHoldAt) return refuse('form', 'onLegalHold');
			wipe(tx, row, now);
			return { audit: 'case_anonymised', subjectId: row.personId };
		},
		{ evenClosed: true }
	);
}

/**
 * Deletes or blanks everything personal about a case and its person, in the caller's
 * transaction: the timeline (notes), messages, court dates and requests, partner referrals'
 * words and their conversations with the agency, the name index, notices and drafts, what the referral said (account, names,
 * contact details, crime reference, access needs, the date), the case's sealed DASH answers and
 * contact preferences, and the person's account (passphrase, name, reset code, sessions, email
 * links), which is locked so nobody can sign in as them again. What stays on the case are its
 * non-identifying facts (status, outcome, crime type, priority, needs, police reported, language,
 * dates), so reports still count it. Audit rows stay: they hold no sealed data.
 */
export function wipe(tx: Tx, row: CaseRow, now: Date, { erased = false } = {}): void {
	const caseId = row.id;
	tx.delete(caseEvents).where(eq(caseEvents.caseId, caseId)).run();
	tx.delete(messages).where(eq(messages.caseId, caseId)).run();
	tx.delete(courtRequests).where(eq(courtRequests.caseId, caseId)).run();
	tx.delete(courtHearings).where(eq(courtHearings.caseId, caseId)).run();
	tx.delete(caseNameTokens).where(eq(caseNameTokens.caseId, caseId)).run();
	tx.delete(outbox).where(eq(outbox.caseId, caseId)).run();
	tx.delete(referralDrafts).where(eq(referralDrafts.caseId, caseId)).run();
	// Which agency the case went to, how sharing was allowed and how that ended is what the
	// service did: kept for reports. The words (why, what was shared, how the person agreed, why
	// without consent, the agency's worker and answer, the conversation with the agency) usually
	// repeat the person's story or name someone: gone.
	const ofCase = tx
		.select({ id: partnerReferrals.id })
		.from(partnerReferrals)
		.where(eq(partnerReferrals.caseId, caseId));
	tx.delete(partnerMessages).where(inArray(partnerMessages.partnerReferralId, ofCase)).run();
	tx.update(partnerReferrals)
		.set({
			reasonSealed: '',
			summarySealed: null,
			consentNoteSealed: null,
			overrideReasonSealed: null,
			partnerWorkerSealed: null,
			declineReasonSealed: null
		})
		.where(eq(partnerReferrals.caseId, caseId))
		.run();

	const referral = tx
		.select({ answers: referrals.answers })
		.from(referrals)
		.where(eq(referrals.id, row.referralId))
		.get();
	tx.update(referrals)
		.set({
			accountSealed: null,
			names: null,
			contact: null,
			// Who referred names them and where they work: gone. The kind of professional stays.
			referrer: null,
			crimeReferenceSealed: null,
			accessNeedsSealed: null,
			// The choices stay (what kind of help, how urgent); the day it happened could identify.
			...(referral ? { answers: { ...referral.answers, date: '' } } : {})
		})
		.where(eq(referrals.id, row.referralId))
		.run();

	tx.update(cases)
		.set({
			dash: null,
			courtChecklist: [],
			safeChannels: [],
			voicemail: '',
			sayWhoWeAre: '',
			anonymisedAt: now,
			...(erased ? { erasedAt: now } : {}),
			updatedAt: now
		})
		.where(eq(cases.id, caseId))
		.run();

	// The person's account belongs to this case alone (a referral makes its own person), but
	// check, so an account another live case still uses is never emptied.
	const other = tx
		.select({ id: cases.id })
		.from(cases)
		.where(and(eq(cases.personId, row.personId), ne(cases.id, caseId), isNull(cases.anonymisedAt)))
		.get();
	if (!other) {
		tx.delete(sessions).where(eq(sessions.userId, row.personId)).run();
		tx.delete(emailLinks).where(eq(emailLinks.userId, row.personId)).run();
		tx.update(users)
			.set({
				secretHash: null,
				nameSealed: null,
				resetHash: null,
				resetExpiresAt: null,
				recoveryHashes: null,
				totpSealed: null,
				lockedAt: now
			})
			.where(and(eq(users.id, row.personId), eq(users.role, 'person')))
			.run();
	}
	// Sign-in and reset-code attempts against the reference (they lapse in 15 minutes anyway).
	const reference = row.reference.toLowerCase();
	tx.delete(signInFailures)
		.where(
			or(
				...[reference, `reset:${reference}`].flatMap((who) => [
					eq(signInFailures.key, `account:${who}`),
					like(signInFailures.key, `guesser:${who}|%`),
					like(signInFailures.key, `device:${who}|%`)
				]),
				eq(signInFailures.key, `link:${reference}`)
			)
		)
		.run();
}
