import { and, desc, eq, sql } from 'drizzle-orm';
import { prepared } from '$lib/server/db';
import { caseEvents } from '$lib/server/db/schema';
import type { CaseRow } from './access';

/** The person's own case as they see it: reference, status and their visible timeline. */
export function forPerson(found: Pick<CaseRow, 'id' | 'reference' | 'status'>) {
	const timeline = personTimeline().all({ caseId: found.id });
	return { reference: found.reference, status: found.status, timeline };
}

// Internal events (notes, risk scores) never leave the console. Built once (`prepared`).
const personTimeline = prepared((db) =>
	db
		.select({ kind: caseEvents.kind, params: caseEvents.params, at: caseEvents.createdAt })
		.from(caseEvents)
		.where(
			and(eq(caseEvents.caseId, sql.placeholder('caseId')), eq(caseEvents.visibleToPerson, true))
		)
		.orderBy(desc(caseEvents.createdAt))
		.prepare()
);

export * as access from './access';
export * as changes from './changes';
export * as lifecycle from './lifecycle';
export { changeCase, refuse, type CaseActor, type Changed, type Refusal } from './command';
export * as person from './person';
export * as queue from './queue';
export * as record from './record';
export { dashQuestions, maracThreshold } from './dash';
/** What a case can be: its statuses, how it ended, the risk levels staff choose from. */
export {
	caseStatuses as statuses,
	caseOutcomes as outcomes,
	riskLevels
} from '$lib/server/db/schema';
