import { and, count, eq, gt } from 'drizzle-orm';
import * as v from 'valibot';
import { seal } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { cases, messages, users } from '$lib/server/db/schema';
import { changeCase } from '$lib/server/cases/command';

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
 * Whether this staff member's reading counts as the service reading the person's messages: the
 * named contact's does, or anyone's on a case with none. A supervisor or colleague glancing at
 * the conversation leaves them unread, so the named contact's count still shows them and the
 * person is not told "Read" before their contact has seen them.
 */
export function readsFor(userId: string, row: { caseworkerId: string | null }): boolean {
	return !row.caseworkerId || row.caseworkerId === userId;
}

export {
	conversation,
	markRead,
	markReadUpTo,
	page,
	pageSize,
	unread,
	updates,
	type Message,
	type Page
} from './conversation';
export { unanswered, unansweredCount } from './waiting';
