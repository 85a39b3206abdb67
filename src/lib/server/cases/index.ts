import { and, desc, eq } from 'drizzle-orm';
import { database } from '$lib/server/db';
import { caseEvents } from '$lib/server/db/schema';
import type { CaseRow } from './access';

/** The person's own case as they see it: reference, status and their visible timeline. */
export function forPerson(found: Pick<CaseRow, 'id' | 'reference' | 'status'>) {
	const db = database();
	// Internal events (notes, risk scores) never leave the console.
	const timeline = db
		.select({ kind: caseEvents.kind, params: caseEvents.params, at: caseEvents.createdAt })
		.from(caseEvents)
		.where(and(eq(caseEvents.caseId, found.id), eq(caseEvents.visibleToPerson, true)))
		.orderBy(desc(caseEvents.createdAt))
		.all();
	return { reference: found.reference, status: found.status, timeline };
}

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
