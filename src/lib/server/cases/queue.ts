import { and, asc, desc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { database } from '$lib/server/db';
import { cases, caseStatuses, referrals, users } from '$lib/server/db/schema';
import { oversees, type Actor } from './access';
import { firstContactClock } from './clock';
import { firstName } from './record';
import { matchesSearch } from './search';

/** The filters of the case list, as the GET form sends them (all optional). */
export interface Filters {
	status?: string;
	crimeType?: string;
	need?: string;
	language?: string;
	caseworker?: string;
	q?: string;
}

/** "Awaiting triage" in the status filter: new referrals and those being triaged. */
export const triage = 'triage';
/** "Open" in the status filter: everything not closed. */
export const open = 'open';

const limit = 200;

/**
 * Cases for the list, most urgent first (priority, then oldest), filtered and searched. A
 * caseworker sees only their own caseload; supervisors and admins see every case. Names are
 * sealed, so the search (reference or name) runs here, after the filters have narrowed the rows.
 */
export function list(actor: Actor, filters: Filters) {
	const where: SQL[] = [];
	if (!oversees(actor)) where.push(eq(cases.caseworkerId, actor.userId));
	if (filters.status === triage) where.push(inArray(cases.status, ['new', 'in_triage']));
	else if (filters.status === open || !filters.status) where.push(ne(cases.status, 'closed'));
	else if ((caseStatuses as readonly string[]).includes(filters.status)) {
		where.push(eq(cases.status, filters.status as (typeof caseStatuses)[number]));
	}
	if (filters.crimeType) where.push(eq(cases.crimeType, filters.crimeType));
	if (filters.language) where.push(eq(cases.language, filters.language));
	if (filters.need) {
		where.push(sql`exists (select 1 from json_each(${cases.needs}) where value = ${filters.need})`);
	}
	if (filters.caseworker === 'none') where.push(isNull(cases.caseworkerId));
	else if (filters.caseworker) where.push(eq(cases.caseworkerId, filters.caseworker));
	const query = filters.q?.trim() ?? '';

	const shown = listRows(and(...where)).filter((row) =>
		matchesSearch(query, row.reference, row.name)
	);
	return { rows: shown.slice(0, limit), total: shown.length, limited: shown.length > limit };
}

/** The list's rows, as the case table shows them, most urgent first. */
function listRows(where: SQL | undefined, now = new Date()) {
	const rows = database()
		.select({
			id: cases.id,
			reference: cases.reference,
			status: cases.status,
			priority: cases.priority,
			crimeType: cases.crimeType,
			needs: cases.needs,
			language: cases.language,
			caseworkerId: cases.caseworkerId,
			createdAt: cases.createdAt,
			firstContactAt: cases.firstContactAt,
			names: referrals.names
		})
		.from(cases)
		.innerJoin(referrals, eq(referrals.id, cases.referralId))
		.where(where)
		.orderBy(desc(cases.priority), asc(cases.createdAt))
		.all();
	const contacts = contactNames();
	return rows.map((row) => {
		const names = row.names ?? { name: '', them: null };
		return {
			reference: row.reference,
			status: row.status,
			priority: row.priority,
			crimeType: row.crimeType,
			needs: row.needs,
			language: row.language,
			name: [names.name, names.them].filter(Boolean).join(' / '),
			caseworker: row.caseworkerId ? (contacts.get(row.caseworkerId) ?? '') : '',
			createdAt: row.createdAt,
			clock: firstContactClock(row, now)
		};
	});
}

/** Staff emails by id, for showing who holds a case. */
function contactNames(): Map<string, string> {
	return new Map(
		database()
			.select({ id: users.id, email: users.email })
			.from(users)
			.where(ne(users.role, 'person'))
			.all()
			.map((u) => [u.id, u.email ?? ''])
	);
}

/** How many rows of each list the supervisor's home shows; the queue has the rest. */
export const homeRows = 10;

/**
 * For a supervisor: each named contact's open cases and overdue first contacts, and the first
 * few unassigned and overdue cases (most urgent first) with how many there are in all.
 */
export function oversight(now = new Date()) {
	const db = database();
	const openCases = db
		.select({
			reference: cases.reference,
			priority: cases.priority,
			caseworkerId: cases.caseworkerId,
			createdAt: cases.createdAt,
			firstContactAt: cases.firstContactAt
		})
		.from(cases)
		.where(ne(cases.status, 'closed'))
		.orderBy(desc(cases.priority), asc(cases.createdAt))
		.all()
		.map((row) => ({ ...row, overdue: firstContactClock(row, now).state === 'overdue' }));
	const staff = db
		.select({ id: users.id, email: users.email, nameSealed: users.nameSealed, role: users.role })
		.from(users)
		.where(and(inArray(users.role, ['caseworker', 'supervisor']), isNull(users.deactivatedAt)))
		.orderBy(asc(users.email))
		.all();
	const unassigned = openCases.filter((row) => !row.caseworkerId);
	const overdue = openCases.filter((row) => row.overdue);
	const firstFew = (list: typeof openCases) =>
		list.length === 0
			? []
			: listRows(
					inArray(
						cases.reference,
						list.slice(0, homeRows).map((row) => row.reference)
					),
					now
				);
	return {
		caseloads: staff.map((member) => {
			const mine = openCases.filter((row) => row.caseworkerId === member.id);
			return {
				id: member.id,
				email: member.email ?? '',
				name: firstName(member.nameSealed),
				role: member.role,
				open: mine.length,
				overdue: mine.filter((row) => row.overdue).length
			};
		}),
		unassigned: { total: unassigned.length, rows: firstFew(unassigned) },
		overdue: { total: overdue.length, rows: firstFew(overdue) }
	};
}
