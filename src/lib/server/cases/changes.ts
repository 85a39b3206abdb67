import { and, eq, inArray, isNull } from 'drizzle-orm';
import * as audit from '$lib/server/audit';
import { seal, sealJson } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { caseEvents, cases, outbox, users, type caseOutcomes } from '$lib/server/db/schema';
import type { riskLevels } from '$lib/server/db/schema';
import { oversees, type Actor, type CaseRow } from './access';
import { dashScore, needsMarac } from './dash';
import { firstName } from './record';

type Tx = Parameters<Parameters<ReturnType<typeof database>['transaction']>[0]>[0];

/** A change refused for a reason staff can act on: an i18n key under `staff.errors`. */
export type Refusal = { ok: false; field: string; error: string };
export type Changed = { ok: true } | Refusal;

const refuse = (field: string, error: string): Refusal => ({
	ok: false,
	field,
	error: `staff.errors.${error}`
});

/** Adds a timeline event: `visible` ones the person sees in their own language. */
export function addEvent(
	tx: Tx,
	row: Pick<CaseRow, 'id'>,
	actor: Actor,
	kind: string,
	visible: boolean,
	params?: Record<string, string>
): void {
	tx.insert(caseEvents)
		.values({ caseId: row.id, kind, visibleToPerson: visible, params, actorId: actor.userId })
		.run();
	const touched = new Date();
	tx.update(cases).set({ updatedAt: touched }).where(eq(cases.id, row.id)).run();
	// Every visible change tells the person there is something new, by a route they said is safe.
	if (visible) {
		tx.insert(outbox).values({ kind: 'case_updated', audience: 'person', caseId: row.id }).run();
	}
}

const who = (actor: Actor) => ({ id: actor.userId, role: actor.role });

/** A closed case is read-only: every change checks this first. */
function closed(row: CaseRow): Refusal | null {
	return row.status === 'closed' ? refuse('form', 'closed') : null;
}

/** A supervisor names (or changes) the person's named contact; the person is told who. */
export function assign(actor: Actor, row: CaseRow, caseworkerId: string): Changed {
	if (!oversees(actor)) return refuse('caseworker', 'supervisorOnly');
	const stop = closed(row);
	if (stop) return stop;
	const contact = database()
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
	if (contact.id === row.caseworkerId) return refuse('caseworker', 'sameCaseworker');
	database().transaction((tx) => {
		const status = row.status === 'new' || row.status === 'in_triage' ? 'assigned' : row.status;
		tx.update(cases).set({ caseworkerId: contact.id, status }).where(eq(cases.id, row.id)).run();
		addEvent(tx, row, actor, row.caseworkerId ? 'contact_changed' : 'contact_assigned', true, {
			name: firstName(contact.nameSealed),
			role: contact.role
		});
		audit.record('contact_assigned', who(actor), { caseId: row.id, subjectId: contact.id }, tx);
	});
	return { ok: true };
}

/** The statuses a case can be moved to by hand (closing has its own action, with an outcome). */
export const manualStatuses = ['in_triage', 'assigned', 'support', 'court'] as const;

/** Moves the case on (or back); the person sees the new stage in their timeline. */
export function setStatus(
	actor: Actor,
	row: CaseRow,
	status: (typeof manualStatuses)[number]
): Changed {
	const stop = closed(row);
	if (stop) return stop;
	if (status === row.status) return refuse('status', 'sameStatus');
	if (status === 'assigned' && !row.caseworkerId) return refuse('status', 'assignFirst');
	database().transaction((tx) => {
		tx.update(cases).set({ status }).where(eq(cases.id, row.id)).run();
		addEvent(tx, row, actor, `status_${status}`, true);
		audit.record('status_changed', who(actor), { caseId: row.id }, tx);
	});
	return { ok: true };
}

/** Closes the case with an outcome; from then on the record is read-only. */
export function close(actor: Actor, row: CaseRow, outcome: (typeof caseOutcomes)[number]): Changed {
	const stop = closed(row);
	if (stop) return stop;
	database().transaction((tx) => {
		tx.update(cases)
			.set({ status: 'closed', outcome, closedAt: new Date() })
			.where(eq(cases.id, row.id))
			.run();
		addEvent(tx, row, actor, 'status_closed', true, { outcome });
		audit.record('status_changed', who(actor), { caseId: row.id }, tx);
	});
	return { ok: true };
}

/** Records the first contact made with the person, by a route they said is safe. */
export function recordFirstContact(actor: Actor, row: CaseRow, channel: string): Changed {
	const stop = closed(row);
	if (stop) return stop;
	if (row.firstContactAt) return refuse('channel', 'alreadyContacted');
	// Staff only contact people by routes they said are safe (DESIGN rule 1).
	if (!row.safeChannels.includes(channel)) return refuse('channel', 'unsafeChannel');
	database().transaction((tx) => {
		tx.update(cases).set({ firstContactAt: new Date() }).where(eq(cases.id, row.id)).run();
		addEvent(tx, row, actor, 'first_contact', false, { channel });
		audit.record('first_contact_recorded', who(actor), { caseId: row.id }, tx);
	});
	return { ok: true };
}

/** Adds an internal note, sealed; the person never sees it. */
export function addNote(actor: Actor, row: CaseRow, text: string): Changed {
	const stop = closed(row);
	if (stop) return stop;
	database().transaction((tx) => {
		addEvent(tx, row, actor, 'note', false, { sealed: seal(text)! });
		audit.record('note_added', who(actor), { caseId: row.id }, tx);
	});
	return { ok: true };
}

/** Records the needs found in assessment and the caseworker's risk level (internal). */
export function updateNeeds(
	actor: Actor,
	row: CaseRow,
	needs: string[],
	riskLevel: (typeof riskLevels)[number]
): Changed {
	const stop = closed(row);
	if (stop) return stop;
	database().transaction((tx) => {
		tx.update(cases).set({ needs, riskLevel }).where(eq(cases.id, row.id)).run();
		addEvent(tx, row, actor, 'needs_updated', false, { needs: needs.join(','), riskLevel });
		audit.record('needs_updated', who(actor), { caseId: row.id }, tx);
	});
	return { ok: true };
}

/**
 * Records a DASH checklist: the answers sealed, the score kept, and (at 14 or more) the case
 * flagged for a MARAC referral. All internal: the score is never shown to the person.
 */
export function recordDash(
	actor: Actor,
	row: CaseRow,
	yes: string[]
): Changed & { score?: number } {
	const stop = closed(row);
	if (stop) return stop;
	const score = dashScore(yes);
	database().transaction((tx) => {
		tx.update(cases)
			.set({
				dashScore: score,
				dashSealed: sealJson(yes),
				dashAt: new Date(),
				...(needsMarac(score) ? { riskLevel: 'high' as const } : {})
			})
			.where(eq(cases.id, row.id))
			.run();
		addEvent(tx, row, actor, needsMarac(score) ? 'dash_marac' : 'dash_recorded', false, {
			score: String(score)
		});
		audit.record('dash_recorded', who(actor), { caseId: row.id }, tx);
	});
	return { ok: true, score };
}
