import { and, eq, getTableColumns, isNull, lte, type SQL } from 'drizzle-orm';
import { config } from '$lib/server/config';
import { database, flushingAfter, isLocked, withoutWaiting } from '$lib/server/db';
import { cases, outbox, referrals, users } from '$lib/server/db/schema';
import { fixedT } from '$lib/server/i18n';
import { isLocale, localizePath, type Locale } from '$lib/i18n/locales';
import { sendEmail } from './email';
import { sendSms, smsConfigured } from './sms';

type Row = typeof outbox.$inferSelect;

/** The wait before retry number `attempts`: 30 s, doubling, at most an hour. */
export function backoffMs(attempts: number): number {
	return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/** How long a worker holds a row while it sends, so a second worker does not send it too. */
const leaseMs = 60_000;

/** How long a notification that keeps failing is tried (hourly, at the end) before it is given up. */
export const giveUpAfterMs = 3 * 86_400_000;

/** Every column of an outbox row but its sealed payload. */
const unsealed = Object.fromEntries(
	Object.entries(getTableColumns(outbox)).filter(([name]) => name !== 'payload')
) as Omit<ReturnType<typeof getTableColumns<typeof outbox>>, 'payload'>;

interface Delivery {
	channel: 'email' | 'text' | 'portal' | 'none';
	send?: () => Promise<void>;
}

/**
 * What a person's notification says: only that there is something new, in their language,
 * with a link to sign in. No name, no crime, no case detail; the service's name only when the
 * person said it is safe for us to say who we are.
 */
export function personNotice(lang: Locale, named: boolean) {
	const t = fixedT(lang);
	const { origin, serviceName } = config();
	const link = new URL(localizePath('/sign-in', lang), origin).href;
	return {
		subject: t('common.notify.subject'),
		text: named
			? t('common.notify.bodyNamed', { service: serviceName, link })
			: t('common.notify.body', { link })
	};
}

/** A message fixed when it is queued, kept sealed in the outbox row until it is sent. */
export interface FixedMessage {
	channel: 'email' | 'text';
	to: string;
	subject: string;
	text: string;
	/** After this (ms since 1970) it is not worth sending: a sign-in link that has lapsed. */
	expiresAt?: number;
	/**
	 * Set on a message to the person about their own case (a notice to an old address, their
	 * reference, a sign-in link). When it is sent, it goes only if its channel is still one they
	 * mark safe, and, if it names the service, only while they still say we may: a change they
	 * made while it waited (a failed send, a retry) is theirs to make (DESIGN rule 1).
	 */
	person?: { named: boolean };
}

type Writer = Pick<ReturnType<typeof database>, 'insert'>;

/**
 * Queues one fixed message (a sign-in link, a notice to an old address) so it is sent, and
 * retried with back-off, by the worker. Pass the transaction that makes the change it is about.
 */
export function enqueue(
	kind: string,
	caseId: string | null,
	message: FixedMessage,
	db: Writer = database(),
	/** Whom it is for: `staff` for a worker (about their own account) or an agency's inbox. */
	audience: 'person' | 'staff' = 'person'
): string {
	return db
		.insert(outbox)
		.values({ kind, audience, caseId, payload: message })
		.returning({ id: outbox.id })
		.get().id;
}

/**
 * The content-free notice to an old email or phone after the person changed it: only that the
 * contact details changed, in their language, naming the service only if they said it is safe.
 */
export function contactChangedNotice(lang: Locale, named: boolean) {
	const t = fixedT(lang);
	const { origin, serviceName } = config();
	const link = new URL(localizePath('/sign-in', lang), origin).href;
	return {
		subject: t('common.notify.contactChangedSubject'),
		text: named
			? t('common.notify.contactChangedBodyNamed', { service: serviceName, link })
			: t('common.notify.contactChangedBody', { link })
	};
}

interface ContactRoutes {
	channels: string[];
	email: string;
	phone: string;
	sayWhoWeAre: string;
}

const samePhone = (a: string, b: string) => a.replace(/[\s()-]/g, '') === b.replace(/[\s()-]/g, '');

/**
 * The notices owed after the person changed their contact details: one to the old email and one
 * to the old phone, each only if it has changed and it was a route they marked safe, and still
 * mark safe. A person who has just unticked email or texts has told us that route is no longer
 * safe (someone else may read it now): nothing more goes there, not even this notice. The service
 * is named only if they said so before and after the change.
 */
export function oldContactNotices(
	before: ContactRoutes,
	after: ContactRoutes,
	lang: Locale
): FixedMessage[] {
	const named = before.sayWhoWeAre === 'yes' && after.sayWhoWeAre === 'yes';
	const notice = contactChangedNotice(lang, named);
	const notices: FixedMessage[] = [];
	const person = { named };
	const oldEmail = before.email.trim();
	const stillSafe = (channel: string) =>
		before.channels.includes(channel) && after.channels.includes(channel);
	if (stillSafe('email') && oldEmail) {
		if (oldEmail.toLowerCase() !== after.email.trim().toLowerCase()) {
			notices.push({ channel: 'email', to: oldEmail, ...notice, person });
		}
	}
	const oldPhone = before.phone.trim();
	if (stillSafe('text') && oldPhone && !samePhone(oldPhone, after.phone)) {
		notices.push({ channel: 'text', to: oldPhone, ...notice, person });
	}
	return notices;
}

/** Why a fixed message is not sent, as its row records it. */
const notSent = {
	expired: 'expired',
	unsafe: 'no longer a safe route',
	// Not "sent" by no channel: the console must not say we texted what never went.
	noTexts: 'texts are not set up'
} as const;

function fixed(row: Row, now: Date): Delivery | keyof typeof notSent {
	const message = row.payload!;
	if (message.expiresAt !== undefined && message.expiresAt <= now.getTime()) return 'expired';
	// A notice to an old address after a change goes, by design, where the person no longer is;
	// every other message to the person goes only to the address they give us now.
	const toCurrent = row.kind !== 'contact_changed';
	if (
		message.person &&
		!routeStillSafe(
			row.caseId,
			message.channel,
			message.person.named,
			toCurrent ? message.to : null
		)
	) {
		return 'unsafe';
	}
	if (message.channel === 'text') {
		if (!smsConfigured()) return 'noTexts';
		return { channel: 'text', send: () => sendSms({ to: message.to, text: message.text }) };
	}
	return {
		channel: 'email',
		send: () => sendEmail({ to: message.to, subject: message.subject, text: message.text })
	};
}

/**
 * True while the person still marks this channel safe, for a named message still lets us name
 * the service, and, given `to`, still gives that address or number for it: a message queued
 * before they changed it (while the mail server was down) must not reach the one they left.
 */
function routeStillSafe(
	caseId: string | null,
	channel: 'email' | 'text',
	named: boolean,
	to: string | null
): boolean {
	if (!caseId) return false;
	const found = routesOf(caseId);
	if (!found || !found.channels.includes(channel) || (named && found.sayWhoWeAre !== 'yes')) {
		return false;
	}
	if (to === null) return true;
	const current = channel === 'email' ? found.contact?.email : found.contact?.phone;
	if (!current?.trim()) return false;
	return channel === 'email'
		? current.trim().toLowerCase() === to.trim().toLowerCase()
		: samePhone(current, to);
}

/**
 * How the person may be reached now: the case holds the safe routes, the naming choice and the
 * language (what /my/details changes); the referral the sealed address and number.
 */
function routesOf(caseId: string) {
	return database()
		.select({
			channels: cases.safeChannels,
			sayWhoWeAre: cases.sayWhoWeAre,
			language: cases.language,
			contact: referrals.contact
		})
		.from(cases)
		.innerJoin(referrals, eq(referrals.id, cases.referralId))
		.where(eq(cases.id, caseId))
		.get();
}

function toPerson(row: Row): Delivery {
	const found = routesOf(row.caseId!);
	if (!found) return { channel: 'none' };
	const contact = found.contact ?? { phone: '', email: '' };
	const lang: Locale = isLocale(found.language) ? found.language : 'en';
	const notice = personNotice(lang, found.sayWhoWeAre === 'yes');
	// Only a route the person marked safe (DESIGN rule 1); portal-only people just see it there.
	if (found.channels.includes('email') && contact.email) {
		return { channel: 'email', send: () => sendEmail({ to: contact.email, ...notice }) };
	}
	if (found.channels.includes('text') && contact.phone && smsConfigured()) {
		return { channel: 'text', send: () => sendSms({ to: contact.phone, text: notice.text }) };
	}
	return { channel: 'portal' };
}

/**
 * An urgent referral's alert: to the on-duty supervisor's address (`DUTY_EMAIL`) at once, or,
 * when none is set, to every supervisor. Like every staff notice it says nothing of the case.
 */
function toDuty(): Delivery {
	const duty = config().dutyEmail;
	const t = fixedT('en');
	return staffEmails(
		duty ? [duty] : activeStaffEmails(eq(users.role, 'supervisor')),
		t('staff.notify.urgentSubject'),
		t('staff.notify.urgent', { link: new URL('/staff/cases', config().origin).href })
	);
}

/** The work addresses of the active staff members a condition picks. */
function activeStaffEmails(who: SQL): string[] {
	return database()
		.select({ email: users.email })
		.from(users)
		.where(and(who, isNull(users.deactivatedAt)))
		.all()
		.map((u) => u.email)
		.filter((e): e is string => Boolean(e));
}

/**
 * One neutral email to each staff address (none to send when there is nobody). It is sent once
 * any of them has it: a retry of the whole would send it again to everyone it already reached,
 * every hour for as long as one mailbox refuses (a colleague's, closed). Only when none took it
 * is it tried again.
 */
function staffEmails(recipients: string[], subject: string, text: string): Delivery {
	if (recipients.length === 0) return { channel: 'none' };
	return {
		channel: 'email',
		send: async () => {
			let reached = 0;
			let refusal: unknown;
			for (const to of recipients) {
				try {
					await sendEmail({ to, subject, text });
					reached += 1;
				} catch (error) {
					refusal = error;
				}
			}
			if (reached === 0) throw refusal;
			if (refusal) {
				// A count, never an address (DESIGN rule 9).
				console.warn(`A staff notice reached ${reached} of ${recipients.length} addresses.`);
			}
		}
	};
}

function toStaff(row: Row): Delivery {
	if (row.kind === 'urgent_referral') return toDuty();
	const found = database()
		.select({ caseworkerId: cases.caseworkerId })
		.from(cases)
		.where(eq(cases.id, row.caseId!))
		.get();
	const t = fixedT('en');
	// The named contact, or, before there is one, every supervisor. Sharing with a partner agency
	// without the person's consent goes to every supervisor, who oversee each one (issue #16).
	const supervisors = row.kind === 'shared_without_consent' || !found?.caseworkerId;
	let recipients = activeStaffEmails(
		supervisors ? eq(users.role, 'supervisor') : eq(users.id, found.caseworkerId!)
	);
	// A named contact who has left (deactivated) reads nothing: until the case is given to someone
	// else, the supervisors hear of what the person sends, or it would reach nobody.
	if (recipients.length === 0 && !supervisors) {
		recipients = activeStaffEmails(eq(users.role, 'supervisor'));
	}
	return staffEmails(
		recipients,
		t('staff.notify.subject'),
		t(`staff.notify.${row.kind === 'message' ? 'message' : 'activity'}`, {
			link: new URL('/staff', config().origin).href
		})
	);
}

/**
 * Sends every notification that is due. A failure is kept, with its reason, and retried later
 * with back-off for up to three days (`giveUpAfterMs`), then marked failed; one row that cannot
 * be read or sent never holds up the others. Returns how many went out.
 */
export async function sendDue(now = new Date()): Promise<number> {
	const db = database();
	// Without the sealed payload: one that cannot be opened must not stop the rest (read below,
	// row by row, where its failure is that row's alone).
	const due = db
		.select(unsealed)
		.from(outbox)
		.where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)))
		.orderBy(outbox.nextAttemptAt)
		.limit(50)
		.all();
	let sent = 0;
	for (const found of due) {
		// Take a lease on the row; another worker that got here first wins it. Without waiting:
		// the server has one thread, and SQLite's busy wait would hold every page (the quick exit
		// among them) for seconds at each turn while a script holds the database. Nothing is sent
		// yet, so the turn ends and the next tries again.
		let claimed;
		try {
			claimed = withoutWaiting(db, () =>
				db
					.update(outbox)
					.set({ nextAttemptAt: new Date(now.getTime() + leaseMs) })
					.where(
						and(
							eq(outbox.id, found.id),
							eq(outbox.status, 'pending'),
							lte(outbox.nextAttemptAt, now)
						)
					)
					.run()
			);
		} catch (error) {
			if (isLocked(error)) return sent;
			throw error;
		}
		if (claimed.changes !== 1) continue;
		try {
			const { payload } = db
				.select({ payload: outbox.payload })
				.from(outbox)
				.where(eq(outbox.id, found.id))
				.get() ?? { payload: null };
			const row: Row = { ...found, payload };
			const delivery = row.payload
				? fixed(row, now)
				: row.caseId
					? row.audience === 'person'
						? toPerson(row)
						: toStaff(row)
					: { channel: 'none' as const };
			if (typeof delivery === 'string') {
				db.update(outbox)
					.set({ status: 'failed', lastError: notSent[delivery], payload: null })
					.where(eq(outbox.id, row.id))
					.run();
				continue;
			}
			await delivery.send?.();
			db.update(outbox)
				.set({
					status: 'sent',
					channel: delivery.channel,
					sentAt: new Date(),
					lastError: null,
					payload: null
				})
				.where(eq(outbox.id, row.id))
				.run();
			sent += 1;
		} catch (error) {
			// Tried again with back-off; after `giveUpAfterMs` of failing it is given up, and what
			// it held (an address, a link) goes with it: an address that bounces is not tried for ever.
			const attempts = found.attempts + 1;
			const lastError = error instanceof Error ? error.message.slice(0, 200) : 'failed';
			const givenUp = now.getTime() - found.createdAt.getTime() >= giveUpAfterMs;
			db.update(outbox)
				.set(
					givenUp
						? { status: 'failed', attempts, lastError, payload: null }
						: { attempts, nextAttemptAt: new Date(Date.now() + backoffMs(attempts)), lastError }
				)
				.where(eq(outbox.id, found.id))
				.run();
		}
	}
	return sent;
}

let timer: ReturnType<typeof setInterval> | undefined;
let running = false;

/** Starts sending the outbox every `intervalMs` in this process (the server's init hook). */
export function startWorker(intervalMs: number): void {
	if (timer) return;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			// What a turn marks sent is on disk before the next: a power cut must not resend.
			await flushingAfter(database(), () => sendDue());
		} catch (error) {
			console.error('outbox worker:', error);
		} finally {
			running = false;
		}
	};
	timer = setInterval(() => void tick(), intervalMs);
	timer.unref();
}
