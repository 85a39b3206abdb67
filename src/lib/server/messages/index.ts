import { and, asc, count, desc, eq, gt, inArray, isNull, ne } from 'drizzle-orm';
import * as v from 'valibot';
import { open as unseal, seal } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { cases, messages, users } from '$lib/server/db/schema';
import { changeCase } from '$lib/server/cases/command';
import { firstName } from '$lib/server/cases/record';

export type Side = 'person' | 'staff';

/** The longest message, in characters. */
export const maxLength = 5000;
/** At most this many messages from one author in a minute: enough to talk, too few to flood. */
export const perMinute = 5;

/** One schema for the message form; messages are keys the page translates. */
export const messageForm = v.object({
	message: v.pipe(
		v.string('common.messages.errors.blank'),
		v.trim(),
		v.nonEmpty('common.messages.errors.blank'),
		v.maxLength(maxLength, 'common.messages.errors.tooLong')
	)
});

export type Sent =
	| { ok: true; id: string }
	| { ok: false; reason: 'closed' | 'tooFrequent'; field: 'message'; error: string };

/** Whether the conversation is read-only, on both sides: its case is closed (or gone). */
export function readOnly(caseId: string): boolean {
	const row = database()
		.select({ status: cases.status })
		.from(cases)
		.where(eq(cases.id, caseId))
		.get();
	return !row || row.status === 'closed';
}

const tooFrequent = 'common.messages.errors.tooFrequent';

/** What refusing a message on a closed case says, to each side in its own words. */
const closedError: Record<Side, string> = {
	person: 'my.messages.closedNotSent',
	staff: 'staff.errors.closed'
};

/**
 * Sends a message on a case, sealed at rest. A closed case is read-only on both sides, and too
 * many in a minute is refused; either way nothing is stored. The other side is told through the
 * outbox: the named contact by work email, the person only by a route they said is safe. The
 * message, its notice and its `message_sent` audit row are written in one transaction.
 */
export function send(
	caseId: string,
	side: Side,
	authorId: string,
	text: string,
	now = new Date()
): Sent {
	const author = database()
		.select({ role: users.role })
		.from(users)
		.where(eq(users.id, authorId))
		.get();
	// The message row names its author by foreign key, so an unknown author never got further.
	if (!author) throw new Error('send: no such author');
	let id = '';
	const changed = changeCase({ userId: authorId, role: author.role }, caseId, (tx) => {
		const recent = tx
			.select({ n: count() })
			.from(messages)
			.where(
				and(
					eq(messages.authorId, authorId),
					gt(messages.createdAt, new Date(now.getTime() - 60_000))
				)
			)
			.get();
		if ((recent?.n ?? 0) >= perMinute) {
			return { ok: false, field: 'message', error: tooFrequent };
		}
		id = tx
			.insert(messages)
			.values({ caseId, side, authorId, bodySealed: seal(text)!, createdAt: now })
			.returning({ id: messages.id })
			.get().id;
		return {
			audit: 'message_sent',
			notify: { kind: 'message', audience: side === 'person' ? 'staff' : 'person' }
		};
	});
	if (changed.ok) return { ok: true, id };
	if (changed.error === tooFrequent) {
		return { ok: false, reason: 'tooFrequent', field: 'message', error: tooFrequent };
	}
	return { ok: false, reason: 'closed', field: 'message', error: closedError[side] };
}

/**
 * The conversation on a case, oldest first, opened for the reader. Staff authors are shown by
 * first name only, so a person never sees a colleague's surname or work email.
 */
export function conversation(caseId: string, after?: Date) {
	const db = database();
	const rows = db
		.select({
			id: messages.id,
			side: messages.side,
			bodySealed: messages.bodySealed,
			readAt: messages.readAt,
			createdAt: messages.createdAt,
			authorName: users.nameSealed
		})
		.from(messages)
		.innerJoin(users, eq(users.id, messages.authorId))
		.where(and(eq(messages.caseId, caseId), after ? gt(messages.createdAt, after) : undefined))
		.orderBy(asc(messages.createdAt))
		.all();
	return rows.map((row) => ({
		id: row.id,
		side: row.side,
		text: unseal(row.bodySealed) ?? '',
		at: row.createdAt,
		read: row.readAt !== null,
		author: row.side === 'staff' ? firstName(row.authorName) : ''
	}));
}

/**
 * What an open conversation's poll receives: the messages after `after` (an ISO time the page
 * sends; nothing when it is missing or not a time) and this side's unread count. Reads only.
 */
export function updates(caseId: string, after: string | null, reader: Side) {
	const since = after && !Number.isNaN(Date.parse(after)) ? new Date(after) : null;
	const fresh = since ? conversation(caseId, since) : [];
	return {
		messages: fresh.map((m) => ({ ...m, at: m.at.toISOString() })),
		unread: unread(caseId, reader)
	};
}

export type Message = ReturnType<typeof conversation>[number];

/** Marks what the other side wrote as read by this side, now. */
export function markRead(caseId: string, reader: Side, now = new Date()): void {
	database()
		.update(messages)
		.set({ readAt: now })
		.where(and(eq(messages.caseId, caseId), ne(messages.side, reader), isNull(messages.readAt)))
		.run();
}

/** How many messages on the case this side has not read yet. */
export function unread(caseId: string, reader: Side): number {
	return (
		database()
			.select({ n: count() })
			.from(messages)
			.where(and(eq(messages.caseId, caseId), ne(messages.side, reader), isNull(messages.readAt)))
			.get()?.n ?? 0
	);
}

/**
 * For a caseworker: cases in their caseload whose last message is the person's, with how many
 * of the person's messages staff have not read. Supervisors pass no caseworker to see all.
 */
export function unanswered(caseworkerId: string | null) {
	const db = database();
	const open = db
		.select({ id: cases.id, reference: cases.reference })
		.from(cases)
		.where(
			and(
				ne(cases.status, 'closed'),
				caseworkerId ? eq(cases.caseworkerId, caseworkerId) : undefined
			)
		)
		.all();
	if (open.length === 0) return [];
	const ids = open.map((c) => c.id);
	const latest = db
		.select({ caseId: messages.caseId, side: messages.side, at: messages.createdAt })
		.from(messages)
		.where(inArray(messages.caseId, ids))
		.orderBy(desc(messages.createdAt))
		.all();
	const last = new Map<string, { side: Side; at: Date }>();
	for (const row of latest) if (!last.has(row.caseId)) last.set(row.caseId, row);
	return open
		.filter((c) => last.get(c.id)?.side === 'person')
		.map((c) => ({
			reference: c.reference,
			since: last.get(c.id)!.at,
			unread: unread(c.id, 'staff')
		}))
		.sort((a, b) => a.since.getTime() - b.since.getTime());
}
