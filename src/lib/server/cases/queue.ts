import {
	and,
	asc,
	count,
	desc,
	eq,
	inArray,
	isNotNull,
	isNull,
	or,
	sql,
	type SQL
} from 'drizzle-orm';
import { referenceAlphabet } from '$lib/referral/reference';
import { database } from '$lib/server/db';
import {
	caseNameTokens,
	cases,
	caseStatuses,
	referralSources,
	referrals,
	referrerKinds,
	staffRoles,
	users
} from '$lib/server/db/schema';
import { oversees, recordListed, type Actor } from './access';
import { firstContactClock } from './clock';
import { searchTokens } from './names';
import { firstName } from './record';
import { referenceFragment } from './search';

/** The filters of the case list, as the GET form sends them (all optional). */
export interface Filters {
	status?: string;
	crimeType?: string;
	need?: string;
	language?: string;
	caseworker?: string;
	/** Who referred: `self`, `family`, `professional`, or one kind of professional (`professional:police`). */
	source?: string;
	/** "yes": only open cases whose first contact is overdue. */
	overdue?: string;
	q?: string;
	/** The keyset cursor of the page to show (`Page.next` of the page before). */
	after?: string;
}

/** "Awaiting triage" in the status filter: new referrals and those being triaged. */
export const triage = 'triage';
/** "Open" in the status filter: everything not closed. */
export const open = 'open';

/** Rows on a page of the queue. */
export const pageSize = 50;

/** Where a page ends in the queue's order: priority (descending), opened, id. */
type Position = [priority: number, createdAt: number, id: string];

/** The opaque `?after=` of the page after the one ending at `row`. */
function cursorOf(row: { priority: number; createdAt: Date; id: string }): string {
	const position: Position = [row.priority, row.createdAt.getTime(), row.id];
	return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a cursor names; null for anything else (an edited URL starts at the top). */
function positionOf(cursor: string | undefined): Position | null {
	if (!cursor) return null;
	try {
		const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
		if (
			Array.isArray(value) &&
			value.length === 3 &&
			Number.isInteger(value[0]) &&
			Number.isInteger(value[1]) &&
			typeof value[2] === 'string'
		) {
			return value as Position;
		}
	} catch {
		// Not a cursor we made.
	}
	return null;
}

/**
 * A JavaScript clock says "overdue" once the due time is more than half a minute past (it
 * rounds to whole minutes: `firstContactClock`); the same moment, for SQL.
 */
export function overdueBefore(now: Date): Date {
	return new Date(now.getTime() - 30_000);
}

/** Open, first contact not yet made, and due before `now` (the partial index's own terms). */
function overdueWhere(now: Date): SQL {
	return sql`${cases.status} <> 'closed' and ${cases.firstContactAt} is null and ${cases.firstContactDueAt} < ${overdueBefore(now).getTime()}`;
}

/** The cases the filters (and a caseworker's own caseload) allow, in SQL; search included. */
function filtered(caseload: string | null, filters: Filters, now: Date): SQL[] {
	const where: SQL[] = [];
	if (caseload !== null) where.push(eq(cases.caseworkerId, caseload));
	if (filters.status === triage) where.push(inArray(cases.status, ['new', 'in_triage']));
	// Literal, not a parameter, so SQLite can use the open cases' partial index.
	else if (filters.status === open || !filters.status) where.push(sql`${cases.status} <> 'closed'`);
	else if ((caseStatuses as readonly string[]).includes(filters.status)) {
		where.push(eq(cases.status, filters.status as (typeof caseStatuses)[number]));
	}
	if (filters.crimeType) where.push(eq(cases.crimeType, filters.crimeType));
	where.push(...sourceWhere(filters.source));
	if (filters.language) where.push(eq(cases.language, filters.language));
	if (filters.need) {
		where.push(sql`exists (select 1 from json_each(${cases.needs}) where value = ${filters.need})`);
	}
	// Written as the unassigned cases' partial index is (not `is null`, which the planner would
	// answer from cases_caseworker, then sort them all).
	if (filters.caseworker === 'none') where.push(sql`coalesce(${cases.caseworkerId}, '') = ''`);
	else if (filters.caseworker) where.push(eq(cases.caseworkerId, filters.caseworker));
	if (filters.overdue === 'yes') where.push(overdueWhere(now));
	const search = searchWhere(filters.q?.trim() ?? '');
	if (search) where.push(search);
	return where;
}

/** The source filter's choices: each source, then each kind of professional. */
export const sourceChoices = [
	...referralSources,
	...referrerKinds.map((kind) => `professional:${kind}` as const)
];

/**
 * Who referred, as the queue filters it. Like the kind of crime, it is checked on each row of
 * the queue's own index walk (cases_queue_open and the others), not by an index of its own: a
 * page still reads its rows in order and stops once it has 51 (measured in the report of issue
 * #16: a professional-only page of the open queue at 100,000 cases).
 */
function sourceWhere(source: string | undefined): SQL[] {
	if (!source) return [];
	const [from, kind] = source.split(':');
	const isSource = (referralSources as readonly string[]).includes(from ?? '');
	if (!isSource) return [];
	const where = [eq(cases.source, from as (typeof referralSources)[number])];
	if (from === 'professional' && kind && (referrerKinds as readonly string[]).includes(kind)) {
		where.push(eq(cases.referrerKind, kind as (typeof referrerKinds)[number]));
	}
	return where;
}

/**
 * The search box: part of a reference (as `matchesSearch` reads one), or every whole name token
 * typed, found through the blind index (cases/names.ts) without opening a name.
 */
function searchWhere(typed: string): SQL | null {
	if (!typed) return null;
	const sets: SQL[] = searchTokens(typed).map(
		(token) =>
			sql`select ${caseNameTokens.caseId} from ${caseNameTokens} where ${caseNameTokens.token} = ${token}`
	);
	const fragment = referenceFragment(typed);
	const reference = fragment ? referenceWhere(fragment) : null;
	// Compound selects bind left to right: (name ∩ name ∩ …) ∪ reference.
	let matching = sql.join(sets, sql` intersect `);
	if (reference) matching = sets.length > 0 ? sql`${matching} union ${reference}` : reference;
	else if (sets.length === 0) return sql`0`;
	return sql`${cases.id} in (${matching})`;
}

/**
 * The cases whose reference holds `fragment` (as `referenceFragment` reads one). A fragment with
 * a letter references never use ("NOWAK": the O) cannot match, so nothing is read for it; a whole
 * reference is one index lookup; a part reads the references' own index, not the table.
 */
function referenceWhere(fragment: string): SQL | null {
	if ([...fragment].some((c) => !referenceAlphabet.includes(c))) return null;
	if (fragment.length === 8) {
		const whole = `${fragment.slice(0, 4)}-${fragment.slice(4)}`;
		return sql`select ${cases.id} from ${cases} where ${cases.reference} = ${whole}`;
	}
	return sql`select ${cases.id} from ${cases} where rowid in (select rowid from ${cases} where replace(${cases.reference}, '-', '') like ${'%' + fragment + '%'})`;
}

/** One page of the queue, its total, and the cursor of the next page (null on the last). */
export interface Page {
	rows: ReturnType<typeof listRows>;
	total: number;
	next: string | null;
}

/**
 * A page of cases for the list, most urgent first (priority, then oldest, then id), filtered
 * and searched in SQL, `pageSize` at a time from `filters.after`. A caseworker sees only their
 * own caseload; supervisors and admins see every case. Only the names on the page are opened.
 */
export function list(actor: Actor, filters: Filters, size = pageSize, now = new Date()): Page {
	const page = pageOf(oversees(actor) ? null : actor.userId, filters, size, now);
	// Every case the page shows is audited as read by this staff member.
	recordListed(
		actor,
		page.rows.map((row) => row.id)
	);
	return page;
}

/** A page of one caseload's cases (`caseload`, a caseworker's id), or of every case (null). */
function pageOf(caseload: string | null, filters: Filters, size: number, now: Date): Page {
	const where = filtered(caseload, filters, now);
	const total =
		database()
			.select({ n: count() })
			.from(cases)
			.where(and(...where))
			.get()?.n ?? 0;
	const after = positionOf(filters.after);
	// The page's place in the order first, one row beyond it to know whether there is a next
	// page; then the rows themselves, so only the names shown are opened.
	const positions = database()
		.select({ id: cases.id, priority: cases.priority, createdAt: cases.createdAt })
		.from(cases)
		.where(and(...where, after ? beyond(after) : undefined))
		.orderBy(desc(cases.priority), asc(cases.createdAt), asc(cases.id))
		.limit(size + 1)
		.all();
	const shown = positions.slice(0, size);
	const rows =
		shown.length > 0
			? listRows(
					inArray(
						cases.id,
						shown.map((row) => row.id)
					),
					size,
					now
				)
			: [];
	const last = shown.at(-1);
	return { rows, total, next: positions.length > size && last ? cursorOf(last) : null };
}

/** The cases after `position` in the queue's order. */
function beyond([priority, createdAt, id]: Position): SQL {
	return sql`(${cases.priority} < ${priority} or (${cases.priority} = ${priority} and (${cases.createdAt} > ${createdAt} or (${cases.createdAt} = ${createdAt} and ${cases.id} > ${id}))))`;
}

/** The list's rows, as the case table shows them, most urgent first: at most `limit`. */
function listRows(where: SQL | undefined, limit: number, now = new Date()) {
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
			firstContactDueAt: cases.firstContactDueAt,
			source: cases.source,
			referrerKind: cases.referrerKind,
			names: referrals.names
		})
		.from(cases)
		.innerJoin(referrals, eq(referrals.id, cases.referralId))
		.where(where)
		.orderBy(desc(cases.priority), asc(cases.createdAt), asc(cases.id))
		.limit(limit)
		.all();
	const contacts = contactNames(rows.map((row) => row.caseworkerId));
	return rows.map((row) => {
		const names = row.names ?? { name: '', them: null };
		return {
			id: row.id,
			reference: row.reference,
			status: row.status,
			priority: row.priority,
			crimeType: row.crimeType,
			needs: row.needs,
			language: row.language,
			name: [names.name, names.them].filter(Boolean).join(' / '),
			caseworker: row.caseworkerId ? (contacts.get(row.caseworkerId) ?? '') : '',
			source: row.source,
			referrerKind: row.referrerKind,
			createdAt: row.createdAt,
			clock: firstContactClock(row, now)
		};
	});
}

/** The emails of the staff holding these cases, by id (only theirs: users are mostly people). */
function contactNames(ids: (string | null)[]): Map<string, string> {
	const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
	if (wanted.length === 0) return new Map();
	return new Map(
		database()
			.select({ id: users.id, email: users.email })
			.from(users)
			.where(and(inArray(users.id, wanted), inArray(users.role, staffRoles)))
			.all()
			.map((u) => [u.id, u.email ?? ''])
	);
}

/** How many rows of each list the supervisor's home shows; the queue has the rest. */
export const homeRows = 10;

/**
 * For a supervisor: each named contact's open cases and overdue first contacts, and the first
 * few unassigned and overdue cases (most urgent first) with how many there are in all; counted
 * in SQL, so the home costs the same at 100 cases or 100,000.
 */
export function oversight(actor: Actor, now = new Date()) {
	const db = database();
	const counts = new Map(
		db
			.select({
				caseworkerId: cases.caseworkerId,
				open: count(),
				overdue: sql<number>`coalesce(sum(${cases.firstContactAt} is null and ${cases.firstContactDueAt} < ${overdueBefore(now).getTime()}), 0)`
			})
			.from(cases)
			.where(and(sql`${cases.status} <> 'closed'`, isNotNull(cases.caseworkerId)))
			.groupBy(cases.caseworkerId)
			.all()
			.map((row) => [row.caseworkerId, row])
	);
	// Every active named contact, and anyone else still named on open cases: someone deactivated
	// (they left) or moved to another role keeps their cases until a supervisor gives them to
	// someone else, and those cases must not drop out of sight here.
	const named = [...counts.keys()].filter((id): id is string => Boolean(id));
	const staff = db
		.select({
			id: users.id,
			email: users.email,
			nameSealed: users.nameSealed,
			role: users.role,
			deactivatedAt: users.deactivatedAt
		})
		.from(users)
		.where(
			or(
				and(inArray(users.role, ['caseworker', 'supervisor']), isNull(users.deactivatedAt)),
				// Left out when no open case is named to anyone: drizzle writes an empty list as
				// `false`, and SQLite then reads every user instead of two indexes (13 ms at 100,000).
				...(named.length > 0 ? [inArray(users.id, named)] : [])
			)
		)
		.orderBy(asc(users.email))
		.all();
	const firstFew = (filters: Filters) => pageOf(null, { status: open, ...filters }, homeRows, now);
	const unassigned = firstFew({ caseworker: 'none' });
	const overdue = firstFew({ overdue: 'yes' });
	recordListed(
		actor,
		[...unassigned.rows, ...overdue.rows].map((row) => row.id)
	);
	return {
		caseloads: staff.map((member) => ({
			id: member.id,
			email: member.email ?? '',
			name: firstName(member.nameSealed),
			role: member.role,
			/** No longer a named contact (deactivated, or now in another role): give their cases on. */
			gone:
				member.deactivatedAt !== null || !['caseworker', 'supervisor'].includes(member.role ?? ''),
			open: counts.get(member.id)?.open ?? 0,
			overdue: Number(counts.get(member.id)?.overdue ?? 0)
		})),
		unassigned,
		overdue
	};
}
