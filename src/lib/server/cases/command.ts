import { and, eq } from 'drizzle-orm';
import * as audit from '$lib/server/audit';
import type { Role } from '$lib/server/auth/sessions';
import { database, type Db } from '$lib/server/db';
import {
	caseEvents,
	cases,
	outbox,
	partnerReferrals,
	type caseOutcomes,
	type ReferralNames
} from '$lib/server/db/schema';
import { newReference } from '$lib/referral/reference';
import type { CaseRow } from './access';
import { firstContactDue } from './clock';
import { indexNewCase, nameIndexKeyId } from './names';

/** The transaction a change writes in. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A change refused, with an i18n key saying why: under `staff.errors`, or the sender's own. */
export type Refusal = { ok: false; field: string; error: string };
export type Changed = { ok: true } | Refusal;

/** A refusal of `field`, for the reason `error` (a key under `staff.errors`). */
export const refuse = (field: string, error: string): Refusal => ({
	ok: false,
	field,
	error: `staff.errors.${error}`
});

/** Who changes the case: a staff member, or the person whose case it is. */
export interface CaseActor {
	userId: string;
	role: Role;
}

/** A timeline event: `visible` ones the person sees in their own language. */
export interface CaseEvent {
	kind: string;
	visible: boolean;
	params?: Record<string, string>;
}

/** What a change did, for the command to record alongside it. */
export interface Recorded {
	/** The audit row's action, and whom it concerned if not only the case. */
	audit: audit.AuditAction;
	subjectId?: string;
	/** What a later reader must know to judge the change, in staff words (a hold's reason). */
	detail?: string;
	/** The timeline event, if the change makes one. */
	event?: CaseEvent;
	/** A staff-only event written just before it, saying why (opening a closed case again). */
	why?: CaseEvent & { visible: false };
	/** A further outbox notice, by its kind, to the staff working the case or to the person. */
	notify?: { kind: string; audience: 'staff' | 'person' };
}

/**
 * One change to a case: reads the case as it is now, and returns a refusal, what it did, or
 * `{ ok: true }` when the case already says what the change would (a form sent twice): nothing
 * is written, audited or told.
 */
export type Change = (tx: Tx, row: CaseRow) => Changed | Recorded;

// Thrown to roll back a change that refused (or found nothing to do) after it began.
class Refused extends Error {
	constructor(readonly refusal: Changed) {
		super(refusal.ok ? 'nothing to change' : refusal.error);
	}
}

/** How a change treats a closed case. */
export interface ChangeOptions {
	/**
	 * The data lifecycle (a legal hold, erasure, retention), the person withdrawing consent and a
	 * partner agency finishing its own referral act on closed cases too; every other change
	 * refuses them, since a closed record is read-only.
	 */
	evenClosed?: boolean;
}

/**
 * Changes a case: the one way any change is written. In one transaction it re-reads the case,
 * refuses a closed (or missing, or anonymised) one, runs the change, and writes its timeline
 * event, the person's `case_updated` notice, `cases.updatedAt` and the audit row; a refusal or
 * a throw keeps nothing (DESIGN: one transaction writes the change, its event, its outbox row
 * and its audit row). The actor is null only for the service itself (retention).
 */
export function changeCase(
	actor: CaseActor | null,
	target: string | Pick<CaseRow, 'id'>,
	change: Change,
	options: ChangeOptions = {}
): Changed {
	const caseId = typeof target === 'string' ? target : target.id;
	try {
		// `immediate` takes the write lock before the read, so a close committed by another
		// request cannot land between the closed check and the write (a deferred transaction
		// would read a snapshot that is already stale by the time it writes).
		return database().transaction(
			(tx) => {
				const row = tx.select().from(cases).where(eq(cases.id, caseId)).get();
				if (!row) throw new Refused(refuse('form', 'notChanged'));
				// An anonymised case has nothing left to change, whatever the change.
				if (row.anonymisedAt) throw new Refused(refuse('form', 'anonymised'));
				if (row.status === 'closed' && !options.evenClosed) {
					throw new Refused(refuse('form', 'closed'));
				}
				const done = change(tx, row);
				if ('ok' in done) throw new Refused(done);
				record(tx, actor, row, done);
				return { ok: true } as const;
			},
			{ behavior: 'immediate' }
		);
	} catch (error) {
		if (error instanceof Refused) return error.refusal;
		throw error;
	}
}

function record(
	tx: Tx,
	actor: CaseActor | null,
	row: Pick<CaseRow, 'id' | 'status'>,
	done: Recorded
): void {
	const { event } = done;
	const caseId = row.id;
	if (done.why) writeEvent(tx, caseId, actor?.userId ?? null, done.why);
	if (event) {
		writeEvent(tx, caseId, actor?.userId ?? null, event);
		tx.update(cases).set({ updatedAt: new Date() }).where(eq(cases.id, caseId)).run();
		// Every visible change staff make tells the person there is something new, by a route they
		// said is safe; what the person did themselves they already know. Once the case was closed
		// (an agency finishing its own work), we contact them no more: it shows if they sign in.
		if (event.visible && actor && actor.role !== 'person' && row.status !== 'closed') {
			tellPerson(tx, caseId);
		}
	}
	if (done.notify?.kind === 'case_updated' && done.notify.audience === 'person') {
		tellPerson(tx, caseId);
	} else if (done.notify) {
		tx.insert(outbox)
			.values({ kind: done.notify.kind, audience: done.notify.audience, caseId })
			.run();
	}
	audit.record(
		done.audit,
		actor ? { id: actor.userId, role: actor.role } : null,
		{ caseId, subjectId: done.subjectId, detail: done.detail },
		tx
	);
}

/**
 * Queues "there is something new" for the person, unless one is still waiting to go: it says
 * nothing of what, so one is enough, and changes made while the mail server was down must not
 * arrive as a burst of the same email.
 */
function tellPerson(tx: Tx, caseId: string): void {
	const waiting = tx
		.select({ id: outbox.id })
		.from(outbox)
		.where(
			and(
				eq(outbox.status, 'pending'),
				eq(outbox.caseId, caseId),
				eq(outbox.kind, 'case_updated'),
				eq(outbox.audience, 'person')
			)
		)
		.get();
	if (!waiting)
		tx.insert(outbox).values({ kind: 'case_updated', audience: 'person', caseId }).run();
}

/**
 * Closes the case, in the change's transaction: its status, outcome and time. A partner referral
 * still waiting for the person's answer ends with it ("cancelled"): a closed record changes no
 * more, so the person could never answer it. What an agency already has stays theirs to finish
 * (partners/work.ts acts on closed cases too).
 */
export function closeCase(
	tx: Tx,
	caseId: string,
	outcome: (typeof caseOutcomes)[number],
	at: Date
): void {
	tx.update(cases)
		.set({ status: 'closed', outcome, closedAt: at })
		.where(eq(cases.id, caseId))
		.run();
	tx.update(partnerReferrals)
		.set({ status: 'cancelled', updatedAt: at })
		.where(and(eq(partnerReferrals.caseId, caseId), eq(partnerReferrals.status, 'proposed')))
		.run();
}

/** What a new case is made of, as the referral that opens it says; the command adds its reference. */
export type NewCase = Omit<typeof cases.$inferInsert, 'id' | 'reference'>;

/**
 * Opens a case: the only write that makes one, in the caller's transaction (the referral's, which
 * also writes the person and the referral the case points to). It gives the case a reference no
 * other case has, writes its first timeline event, the notices to staff, and the audit row, with
 * the person as the actor: the one who asked. It also stores when first contact is due and
 * indexes the referral's names (`opened.names`, as the caller just wrote them) for search
 * (cases/names.ts), so the queue never computes either.
 */
export function openCase(
	tx: Tx,
	values: NewCase,
	opened: { event: CaseEvent; notify: string[]; names: ReferralNames }
): Pick<CaseRow, 'id' | 'reference'> {
	const createdAt = values.createdAt ?? new Date();
	// Only what the callers use comes back: a whole row would be decrypted just to be dropped.
	const created = tx
		.insert(cases)
		.values({
			...values,
			createdAt,
			firstContactDueAt: firstContactDue(createdAt, values.priority),
			reference: uniqueReference(tx),
			nameIndexKey: nameIndexKeyId()
		})
		.returning({ id: cases.id, reference: cases.reference })
		.get();
	indexNewCase(tx, created.id, opened.names);
	writeEvent(tx, created.id, null, opened.event);
	for (const kind of opened.notify) {
		tx.insert(outbox).values({ kind, audience: 'staff', caseId: created.id }).run();
	}
	audit.record(
		'case_opened',
		{ id: values.personId, role: 'person' },
		{ caseId: created.id, subjectId: values.personId },
		tx
	);
	return created;
}

function uniqueReference(tx: Tx): string {
	for (;;) {
		const reference = newReference();
		if (!tx.select({ id: cases.id }).from(cases).where(eq(cases.reference, reference)).get()) {
			return reference;
		}
	}
}

/**
 * Writes one timeline event in the caller's transaction: changeCase's own, and a new case's
 * first (openCase's).
 */
function writeEvent(
	tx: Pick<Tx, 'insert'>,
	caseId: string,
	actorId: string | null,
	event: CaseEvent
): void {
	tx.insert(caseEvents)
		.values({
			caseId,
			kind: event.kind,
			visibleToPerson: event.visible,
			params: event.params,
			actorId
		})
		.run();
}
