import { asc, eq } from 'drizzle-orm';
import * as audit from '$lib/server/audit';
import { addEvent, type Changed } from '$lib/server/cases/changes';
import type { Actor, CaseRow } from '$lib/server/cases/access';
import { database } from '$lib/server/db';
import { courtHearings, courts, hearingTypes } from '$lib/server/db/schema';

export type HearingType = (typeof hearingTypes)[number];

/** Every court, Crown Court centres first, then by name. */
export function allCourts() {
	return database().select().from(courts).orderBy(asc(courts.kind), asc(courts.name)).all();
}

/** The hearings on a case, soonest first, with their court. */
export function hearingsFor(caseId: string) {
	return database()
		.select({
			id: courtHearings.id,
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

/** Records a hearing on the case; the person sees it in their timeline and portal. */
export function recordHearing(
	actor: Actor,
	row: CaseRow,
	hearing: { courtId: string; startsAt: Date; type: HearingType }
): Changed {
	if (row.status === 'closed') return { ok: false, field: 'form', error: 'staff.errors.closed' };
	const court = database().select().from(courts).where(eq(courts.id, hearing.courtId)).get();
	if (!court) return { ok: false, field: 'court', error: 'staff.errors.court' };
	database().transaction((tx) => {
		tx.insert(courtHearings)
			.values({ caseId: row.id, ...hearing, actorId: actor.userId })
			.run();
		addEvent(tx, row, actor, 'hearing_recorded', true, {
			court: court.name,
			date: hearing.startsAt.toISOString(),
			type: hearing.type
		});
	});
	audit.record('hearing_recorded', { id: actor.userId, role: actor.role }, { caseId: row.id });
	return { ok: true };
}
