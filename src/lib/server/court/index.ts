import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import {
	changeCase,
	refuse,
	type Changed,
	type Recorded,
	type Tx
} from '$lib/server/cases/command';
import type { Actor, CaseRow } from '$lib/server/cases/access';
import { database } from '$lib/server/db';
import { cases, courtHearings, courtRequests, courts, hearingTypes } from '$lib/server/db/schema';

export type HearingType = (typeof hearingTypes)[number];
/** The kinds of hearing a caseworker can record. */
export { hearingTypes };

/** Every court, Crown Court centres first, then by name. */
export function allCourts() {
	return database().select().from(courts).orderBy(asc(courts.kind), asc(courts.name)).all();
}

/** The hearings on a case, soonest first, with their court. */
export function hearingsFor(caseId: string) {
	return database()
		.select({
			id: courtHearings.id,
			courtId: courtHearings.courtId,
			startsAt: courtHearings.startsAt,
			type: courtHearings.type,
			court: courts.name,
			address: courts.address,
			travel: courts.travel
		})
		.from(courtHearings)
		.innerJoin(courts, eq(courts.id, courtHearings.courtId))
		.where(eq(courtHearings.caseId, caseId))
		.orderBy(asc(courtHearings.startsAt))
		.all();
}

type Hearing = { courtId: string; startsAt: Date; type: HearingType };

/** The court a hearing is at, if it is one the service knows. */
function courtOf(tx: Tx, hearing: Hearing) {
	return tx.select().from(courts).where(eq(courts.id, hearing.courtId)).get();
}

/** What recording or moving a hearing writes: an audit row and an event the person sees. */
function hearingRecorded(
	kind: 'hearing_recorded' | 'hearing_changed',
	court: { name: string },
	hearing: Hearing
): Recorded {
	return {
		audit: 'hearing_recorded',
		event: {
			kind,
			visible: true,
			params: { court: court.name, date: hearing.startsAt.toISOString(), type: hearing.type }
		}
	};
}

/**
 * A hearing as the form to change it showed it (court, time, kind): sent back with the change, so
 * a change made by someone else meanwhile is not quietly undone (see `changeHearing`).
 */
export function hearingVersion(hearing: Hearing): string {
	return `${hearing.courtId}|${hearing.startsAt.getTime()}|${hearing.type}`;
}

/**
 * Changes a hearing already on the case (a new date, court or kind); the person sees the change
 * in their timeline and their court page shows the new details. Given the hearing as the form
 * showed it (`hearingVersion`), a change over someone else's since is refused: the person would
 * otherwise be told the old date again as if it were new.
 */
export function changeHearing(
	actor: Actor,
	row: Pick<CaseRow, 'id'>,
	hearingId: string,
	hearing: Hearing,
	was?: string
): Changed {
	return changeCase(actor, row, (tx, now) => {
		const court = courtOf(tx, hearing);
		if (!court) return refuse('court', 'court');
		const which = and(eq(courtHearings.id, hearingId), eq(courtHearings.caseId, now.id));
		const current = tx.select().from(courtHearings).where(which).get();
		if (!current) return refuse('form', 'notChanged');
		// Not sent ('' as forms read an absent field): a page from before this check, taken as is.
		if (was && was !== hearingVersion(current)) {
			// The same change sent twice (a double click, a reload that posts again) is made already.
			if (hearingVersion(hearing) === hearingVersion(current)) return { ok: true };
			return refuse('court', 'hearingChangedSince');
		}
		tx.update(courtHearings).set(hearing).where(which).run();
		return hearingRecorded('hearing_changed', court, hearing);
	});
}

/** Records a hearing on the case; the person sees it in their timeline and portal. */
export function recordHearing(actor: Actor, row: Pick<CaseRow, 'id'>, hearing: Hearing): Changed {
	return changeCase(actor, row, (tx, now) => {
		const court = courtOf(tx, hearing);
		if (!court) return refuse('court', 'court');
		tx.insert(courtHearings)
			.values({ caseId: now.id, ...hearing, actorId: actor.userId })
			.run();
		return hearingRecorded('hearing_recorded', court, hearing);
	});
}

/** The things to remember on the day; the text is `my.court.checklist.<id>`. */
export const checklistItems = [
	'letter',
	'id',
	'glasses',
	'medicine',
	'money',
	'reading',
	'phone',
	'contact'
] as const;

/** The special measures a witness can ask about; the text is `my.court.measures.<id>`. */
export const specialMeasures = [
	'screens',
	'live_link',
	'recorded',
	'intermediary',
	'private',
	'wigs',
	'aids'
] as const;

/** A witness's court page: their next hearing (or the last, if none is to come), ticks, requests. */
export function forPerson(row: CaseRow, now = new Date()) {
	const db = database();
	const hearings = hearingsFor(row.id);
	const next =
		hearings.find((h) => h.startsAt.getTime() >= now.getTime()) ?? hearings.at(-1) ?? null;
	const requests = db
		.select({
			kind: courtRequests.kind,
			createdAt: courtRequests.createdAt,
			doneAt: courtRequests.doneAt
		})
		.from(courtRequests)
		.where(eq(courtRequests.caseId, row.id))
		.orderBy(desc(courtRequests.createdAt))
		.all();
	return {
		caseId: row.id,
		closed: row.status === 'closed',
		hearing: next && {
			startsAt: next.startsAt,
			type: next.type,
			courtId: next.courtId,
			court: next.court,
			address: next.address,
			travel: next.travel,
			past: next.startsAt.getTime() < now.getTime()
		},
		checklist: row.courtChecklist,
		requests
	};
}

/**
 * Saves which checklist items the person has ticked: their own notes, so no timeline event and
 * no notice, but audited like any change, and refused once the case is closed (false).
 */
export function saveChecklist(own: Pick<CaseRow, 'id' | 'personId'>, ticked: string[]): boolean {
	const known = ticked.filter((id) => (checklistItems as readonly string[]).includes(id));
	const changed = changeCase({ userId: own.personId, role: 'person' }, own, (tx, now) => {
		tx.update(cases).set({ courtChecklist: known }).where(eq(cases.id, now.id)).run();
		return { audit: 'court_checklist_saved' };
	});
	return changed.ok;
}

/**
 * A person asks for a pre-trial visit or about special measures: a task on the case for the
 * console, a timeline event they see, and a notice to their named contact.
 */
export function request(
	own: Pick<CaseRow, 'id' | 'personId'>,
	kind: 'visit' | 'special_measures',
	details: Record<string, string | string[]>
): boolean {
	const changed = changeCase({ userId: own.personId, role: 'person' }, own, (tx, now) => {
		tx.insert(courtRequests).values({ caseId: now.id, kind, details }).run();
		return {
			audit: 'court_request_made',
			event: { kind: kind === 'visit' ? 'visit_requested' : 'measures_requested', visible: true },
			notify: { kind: 'court_request', audience: 'staff' }
		};
	});
	return changed.ok;
}

/** The court requests on a case, for the console, details opened; open ones first. */
export function requestsFor(caseId: string) {
	return database()
		.select()
		.from(courtRequests)
		.where(eq(courtRequests.caseId, caseId))
		.orderBy(asc(courtRequests.createdAt))
		.all()
		.map((r) => ({
			id: r.id,
			kind: r.kind,
			details: r.details,
			createdAt: r.createdAt,
			done: r.doneAt !== null
		}))
		.sort((a, b) => Number(a.done) - Number(b.done));
}

/** Staff mark a court request as dealt with. */
export function completeRequest(
	actor: Actor,
	row: Pick<CaseRow, 'id'>,
	requestId: string
): Changed {
	return changeCase(actor, row, (tx, now) => {
		const marked = tx
			.update(courtRequests)
			.set({ doneAt: new Date(), doneBy: actor.userId })
			.where(
				and(
					eq(courtRequests.id, requestId),
					eq(courtRequests.caseId, now.id),
					isNull(courtRequests.doneAt)
				)
			)
			.run();
		if (marked.changes !== 1) return refuse('form', 'notChanged');
		return { audit: 'court_request_done' };
	});
}
