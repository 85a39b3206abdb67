import {
	and,
	asc,
	count,
	desc,
	eq,
	gt,
	gte,
	isNull,
	lt,
	lte,
	ne,
	or,
	sql,
	type SQL
} from 'drizzle-orm';
import { open as unseal } from '$lib/server/crypto';
import { database, prepared } from '$lib/server/db';
import { messages, users } from '$lib/server/db/schema';
import { firstName } from '$lib/server/cases/record';
import type { Side } from './index';

/** How many messages a page of a conversation shows: the latest, or those before a cursor. */
export const pageSize = 50;
/** At most this many new messages in one poll; the next poll asks from the last of them. */
const pollLimit = 100;

/**
 * A place in a conversation, between two messages: `<created_at ms>.<id>`. Messages are ordered
 * by (created_at, id), so two written in the same millisecond are neither shown twice nor missed.
 */
type Cursor = { at: Date; id: string };

function cursorOf(message: { at: Date; id: string }): string {
	return `${message.at.getTime()}.${message.id}`;
}

/** A cursor from a URL; `null` when it is missing or not one (the page then starts at the end). */
function parseCursor(text: string | null | undefined): Cursor | null {
	const match = /^(\d{1,15})(?:\.([\w-]{1,64}))?$/.exec(text ?? '');
	if (!match) return null;
	return { at: new Date(Number(match[1])), id: match[2] ?? '' };
}

/** Messages strictly before (or after) a cursor, as an index range on (case_id, created_at). */
function beyond(cursor: Cursor, direction: 'before' | 'after'): SQL | undefined {
	const [within, strictly, tie] = direction === 'before' ? [lte, lt, lt] : [gte, gt, gt];
	return and(
		within(messages.createdAt, cursor.at),
		or(strictly(messages.createdAt, cursor.at), tie(messages.id, cursor.id))
	);
}

/** Reads messages of a case, opened for the reader; staff authors by first name only. */
function read(caseId: string, where: SQL | undefined, newestFirst: boolean, limit?: number) {
	const order = newestFirst
		? [desc(messages.createdAt), desc(messages.id)]
		: [asc(messages.createdAt), asc(messages.id)];
	const query = database()
		.select({
			id: messages.id,
			side: messages.side,
			bodySealed: messages.bodySealed,
			readAt: messages.readAt,
			createdAt: messages.createdAt,
			authorId: messages.authorId,
			authorName: users.nameSealed
		})
		.from(messages)
		.innerJoin(users, eq(users.id, messages.authorId))
		.where(and(eq(messages.caseId, caseId), where))
		.orderBy(...order);
	const rows = limit === undefined ? query.all() : query.limit(limit).all();
	// A page holds a few authors many times: each name is opened once.
	const names = new Map<string, string>();
	const author = (row: (typeof rows)[number]) => {
		if (!names.has(row.authorId)) names.set(row.authorId, firstName(row.authorName));
		return names.get(row.authorId)!;
	};
	return rows.map((row) => ({
		id: row.id,
		side: row.side,
		text: unseal(row.bodySealed) ?? '',
		at: row.createdAt,
		read: row.readAt !== null,
		author: row.side === 'staff' ? author(row) : '',
		cursor: cursorOf({ at: row.createdAt, id: row.id })
	}));
}

/** The whole conversation on a case, oldest first (pages show it `pageSize` at a time). */
export function conversation(caseId: string) {
	return read(caseId, undefined, false);
}

export type Message = ReturnType<typeof conversation>[number];

/** One page of a conversation, oldest first. */
export type Page = {
	messages: Message[];
	/** The cursor of the page before this one (`?before=`), or null when this page starts it. */
	earlier: string | null;
	/** Whether this is the latest page, the one new messages are added to. */
	latest: boolean;
};

/**
 * The latest `pageSize` messages on a case, or (`before`, a cursor from "Earlier messages") the
 * `pageSize` before it; oldest first either way. A `before` that is not a cursor is the latest.
 */
export function page(caseId: string, before?: string | null): Page {
	const cursor = parseCursor(before);
	const found = read(caseId, cursor ? beyond(cursor, 'before') : undefined, true, pageSize + 1);
	const shown = found.slice(0, pageSize).reverse();
	return {
		messages: shown,
		earlier: found.length > pageSize ? (shown[0]?.cursor ?? null) : null,
		latest: cursor === null
	};
}

/**
 * What an open conversation's poll receives: the messages after `after` (the cursor of the last
 * one on screen, `0` for none; nothing when it is missing or not a cursor) and this side's
 * unread count. Reads only.
 */
export function updates(caseId: string, after: string | null, reader: Side) {
	const cursor = parseCursor(after);
	const fresh = cursor ? read(caseId, beyond(cursor, 'after'), false, pollLimit) : [];
	return {
		messages: fresh.map((m) => ({ ...m, at: m.at.toISOString() })),
		unread: unread(caseId, reader)
	};
}

/**
 * Marks what the other side wrote as read by this side, now: all of it, or (`upTo`) what was
 * written up to that time, so a message that arrives after a page was read stays unread.
 */
export function markRead(caseId: string, reader: Side, upTo?: Date, now = new Date()): void {
	database()
		.update(messages)
		.set({ readAt: now })
		.where(
			and(
				eq(messages.caseId, caseId),
				ne(messages.side, reader),
				isNull(messages.readAt),
				upTo ? lte(messages.createdAt, upTo) : undefined
			)
		)
		.run();
}

/**
 * What a poll's POST reads: the other side's messages up to `upTo`, the cursor of the newest one
 * the page has shown, so one that arrived between the poll and the POST stays unread. Without a
 * cursor (a page from before it sent one), everything, as before.
 */
export function markReadUpTo(caseId: string, reader: Side, upTo: string | null): void {
	const cursor = parseCursor(upTo);
	markRead(caseId, reader, cursor?.at);
}

/** How many messages on the case this side has not read yet. */
export function unread(caseId: string, reader: Side): number {
	return unreadOn().get({ caseId, reader })?.n ?? 0;
}

// Every portal page shows the unread count: built once (`prepared`).
const unreadOn = prepared((db) =>
	db
		.select({ n: count() })
		.from(messages)
		.where(
			and(
				eq(messages.caseId, sql.placeholder('caseId')),
				ne(messages.side, sql.placeholder('reader')),
				isNull(messages.readAt)
			)
		)
		.prepare()
);
