import {
	and,
	asc,
	count,
	desc,
	eq,
	gt,
	inArray,
	isNull,
	lt,
	lte,
	ne,
	or,
	type SQL
} from 'drizzle-orm';
import * as v from 'valibot';
import * as audit from '$lib/server/audit';
import { changeCase, type CaseActor } from '$lib/server/cases/command';
import { firstName } from '$lib/server/cases/record';
import { config } from '$lib/server/config';
import { open as unseal, seal } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import {
	cases,
	partnerAgencies,
	partnerMessages,
	partnerReferrals,
	users
} from '$lib/server/db/schema';
import { fixedT } from '$lib/server/i18n';
import { enqueue } from '$lib/server/notify/outbox';
import { find, type PartnerActor } from './work';

// The secure conversation on one partner referral, between our caseworkers and the agency's
// workers; the person is not part of it. Sealed at rest; every read is audited on the case.

export type Side = 'staff' | 'partner';

/** How many messages a page shows: the latest, or those before a cursor ("Earlier messages"). */
export const pageSize = 50;
/** The longest message, in characters, and how many one author may send in a minute. */
export const maxLength = 5000;
export const perMinute = 5;

/** Statuses in which the two sides may still write; afterwards the conversation is read-only. */
const openStatuses = ['sent', 'accepted', 'declined'];

/** One schema for the message form on both sides; errors are keys the page translates. */
export const messageForm = v.object({
	message: v.pipe(
		v.string('common.messages.errors.blank'),
		v.trim(),
		v.nonEmpty('common.messages.errors.blank'),
		v.maxLength(maxLength, 'common.messages.errors.tooLong')
	)
});

type Cursor = { at: Date; id: string };
const cursorOf = (m: { at: Date; id: string }) => `${m.at.getTime()}.${m.id}`;
function parseCursor(text: string | null | undefined): Cursor | null {
	const match = /^(\d{1,15})(?:\.([\w-]{1,64}))?$/.exec(text ?? '');
	return match ? { at: new Date(Number(match[1])), id: match[2] ?? '' } : null;
}

/** Messages strictly before a cursor, ordered as (created_at, id). */
function before(cursor: Cursor): SQL | undefined {
	return and(
		lte(partnerMessages.createdAt, cursor.at),
		or(lt(partnerMessages.createdAt, cursor.at), lt(partnerMessages.id, cursor.id))
	);
}

/** A page of the conversation, oldest first, with the cursor of the page before it. */
export function page(referralId: string, beforeCursor?: string | null) {
	const cursor = parseCursor(beforeCursor);
	const rows = database()
		.select({
			id: partnerMessages.id,
			side: partnerMessages.side,
			bodySealed: partnerMessages.bodySealed,
			readAt: partnerMessages.readAt,
			createdAt: partnerMessages.createdAt,
			authorId: partnerMessages.authorId,
			authorName: users.nameSealed
		})
		.from(partnerMessages)
		.innerJoin(users, eq(users.id, partnerMessages.authorId))
		.where(
			and(eq(partnerMessages.partnerReferralId, referralId), cursor ? before(cursor) : undefined)
		)
		.orderBy(desc(partnerMessages.createdAt), desc(partnerMessages.id))
		.limit(pageSize + 1)
		.all();
	const names = new Map<string, string>();
	const shown = rows
		.slice(0, pageSize)
		.reverse()
		.map((row) => {
			if (!names.has(row.authorId)) names.set(row.authorId, firstName(row.authorName));
			return {
				id: row.id,
				side: row.side,
				text: unseal(row.bodySealed) ?? '',
				at: row.createdAt,
				read: row.readAt !== null,
				author: names.get(row.authorId)!
			};
		});
	return {
		messages: shown,
		earlier: rows.length > pageSize && shown[0] ? cursorOf(shown[0]) : null,
		latest: cursor === null
	};
}

export type Page = ReturnType<typeof page>;

/**
 * Every message on a referral, oldest first, with its author's first name: for the person's
 * subject access export (audited as the export). Marks nothing read: neither side read it.
 */
export function whole(referralId: string) {
	const names = new Map<string, string>();
	return database()
		.select({
			side: partnerMessages.side,
			bodySealed: partnerMessages.bodySealed,
			createdAt: partnerMessages.createdAt,
			authorId: partnerMessages.authorId,
			authorName: users.nameSealed
		})
		.from(partnerMessages)
		.innerJoin(users, eq(users.id, partnerMessages.authorId))
		.where(eq(partnerMessages.partnerReferralId, referralId))
		.orderBy(asc(partnerMessages.createdAt), asc(partnerMessages.id))
		.all()
		.map((row) => {
			if (!names.has(row.authorId)) names.set(row.authorId, firstName(row.authorName));
			return {
				side: row.side,
				text: unseal(row.bodySealed) ?? '',
				at: row.createdAt,
				author: names.get(row.authorId)!
			};
		});
}

/** Marks what the other side wrote, up to `upTo`, as read by this side. */
function markRead(referralId: string, reader: Side, upTo: Date, now = new Date()): void {
	database()
		.update(partnerMessages)
		.set({ readAt: now })
		.where(
			and(
				eq(partnerMessages.partnerReferralId, referralId),
				ne(partnerMessages.side, reader),
				isNull(partnerMessages.readAt),
				lte(partnerMessages.createdAt, upTo)
			)
		)
		.run();
}

/** Reads a page for one side: audited on the case, and the latest page marks messages read. */
function readAs(reader: CaseActor, side: Side, caseId: string, id: string, at?: string | null) {
	const shown = page(id, at);
	audit.record('partner_messages_read', { id: reader.userId, role: reader.role }, { caseId });
	const newest = shown.messages.at(-1);
	if (shown.latest && newest) markRead(id, side, newest.at);
	return shown;
}

/** The conversation as the agency's worker reads it; null if they may not open the referral. */
export function forPartner(partner: PartnerActor, id: string, at?: string | null): Page | null {
	const found = find(partner, id);
	if (!found.ok) return null;
	return readAs(partner, 'partner', found.caseId, found.id, at);
}

/**
 * The conversation as our staff read it, on a referral of a case they may already work (the
 * route checks the case); null if the referral is not on that case or was never shared.
 */
export function forStaff(actor: CaseActor, caseId: string, id: string, at?: string | null) {
	const row = referralOnCase(caseId, id);
	if (!row || row.status === 'proposed' || row.status === 'refused') return null;
	return readAs(actor, 'staff', caseId, row.id, at);
}

function referralOnCase(caseId: string, id: string) {
	if (id.length > 64) return undefined;
	return database()
		.select()
		.from(partnerReferrals)
		.where(and(eq(partnerReferrals.id, id), eq(partnerReferrals.caseId, caseId)))
		.get();
}

/** Whether the two sides may still write on this referral. */
export function isOpen(status: string): boolean {
	return openStatuses.includes(status);
}

/**
 * Whether either side may still write on this referral: it is open (`isOpen`) and so is our
 * case. A message on a closed case is refused (`send`), so the form is not offered either.
 */
export function writable(caseId: string, status: string): boolean {
	if (!isOpen(status)) return false;
	const row = database()
		.select({ status: cases.status, anonymisedAt: cases.anonymisedAt })
		.from(cases)
		.where(eq(cases.id, caseId))
		.get();
	return row?.status !== 'closed' && !row?.anonymisedAt;
}

/** How many messages from the other side this side has not read, per referral. */
export function unread(referralIds: string[], reader: Side): Map<string, number> {
	if (referralIds.length === 0) return new Map();
	const rows = database()
		.select({ id: partnerMessages.partnerReferralId, n: count() })
		.from(partnerMessages)
		.where(
			and(
				inArray(partnerMessages.partnerReferralId, referralIds),
				ne(partnerMessages.side, reader),
				isNull(partnerMessages.readAt)
			)
		)
		.groupBy(partnerMessages.partnerReferralId)
		.all();
	return new Map(rows.map((r) => [r.id, r.n]));
}

export type Sent = { ok: true } | { ok: false; field: 'message'; error: string };

/**
 * Sends a message on a partner referral, sealed. The other side is told only that there is
 * something new: the case's named contact by the staff notice, the agency by its shared inbox
 * (content-free, like every notification). Refused, storing nothing, once the referral is
 * closed or withdrawn, or when one author sends too many in a minute.
 */
export function send(
	side: Side,
	author: CaseActor,
	caseId: string,
	id: string,
	text: string,
	now = new Date()
): Sent {
	const changed = changeCase(author, caseId, (tx) => {
		const row = tx
			.select()
			.from(partnerReferrals)
			.where(and(eq(partnerReferrals.id, id), eq(partnerReferrals.caseId, caseId)))
			.get();
		if (!row || !isOpen(row.status)) {
			return { ok: false, field: 'message', error: 'staff.partnerArea.errors.conversationClosed' };
		}
		const agency = tx
			.select({ active: partnerAgencies.active, inbox: partnerAgencies.inboxEmail })
			.from(partnerAgencies)
			.where(eq(partnerAgencies.id, row.agencyId))
			.get();
		// Switched off by an admin, its workers cannot sign in to read it: say so, send nothing.
		if (side === 'staff' && !agency?.active) {
			return { ok: false, field: 'message', error: 'staff.partnerArea.errors.agencyOff' };
		}
		const recent = tx
			.select({ n: count() })
			.from(partnerMessages)
			.where(
				and(
					eq(partnerMessages.authorId, author.userId),
					gt(partnerMessages.createdAt, new Date(now.getTime() - 60_000))
				)
			)
			.get();
		if ((recent?.n ?? 0) >= perMinute) {
			return { ok: false, field: 'message', error: 'common.messages.errors.tooFrequent' };
		}
		tx.insert(partnerMessages)
			.values({
				partnerReferralId: row.id,
				side,
				authorId: author.userId,
				bodySealed: seal(text)!,
				createdAt: now
			})
			.run();
		tx.update(partnerReferrals)
			.set({ updatedAt: now })
			.where(eq(partnerReferrals.id, row.id))
			.run();
		const inbox = agency?.inbox;
		if (side === 'staff' && inbox) {
			enqueue(
				'partner_message',
				caseId,
				{ channel: 'email', to: inbox, ...agencyNotice() },
				tx,
				'staff'
			);
		}
		return {
			audit: 'partner_message_sent',
			notify:
				side === 'partner' ? { kind: 'partner_message', audience: 'staff' as const } : undefined
		};
	});
	return changed.ok ? { ok: true } : { ok: false, field: 'message', error: changed.error };
}

/** What the agency's inbox is told of a new message: that there is one, and where to sign in. */
function agencyNotice() {
	const t = fixedT('en');
	return {
		subject: t('staff.partnerArea.notify.subject'),
		text: t('staff.partnerArea.notify.message', {
			link: new URL('/partner/sign-in', config().origin).href
		})
	};
}
