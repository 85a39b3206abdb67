import type { Cookies } from '@sveltejs/kit';
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Translate } from '$lib/i18n';
import * as audit from '$lib/server/audit';
import { config } from '$lib/server/config';
import { database } from '$lib/server/db';
import { cases, emailLinks, referrals, users } from '$lib/server/db/schema';
import * as outbox from '$lib/server/notify/outbox';
import { localizePath, type Locale } from '$lib/i18n/locales';
import { setNewPassphrase } from './people';
import * as rateLimit from './rate-limit';
import * as sessions from './sessions';

export const linkMinutes = 10;
/** The cookie that binds a link to the browser that asked for it. */
export const browserCookie = 'od_link';
export type LinkPurpose = 'sign_in' | 'reset';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** The email address the person marked safe, if they chose email as a safe way to reach them. */
function safeEmail(reference: string): { userId: string; caseId: string; email: string } | null {
	const row = database()
		.select({
			userId: cases.personId,
			caseId: cases.id,
			channels: cases.safeChannels,
			contact: referrals.contact
		})
		.from(cases)
		.innerJoin(referrals, eq(referrals.id, cases.referralId))
		.innerJoin(users, eq(users.id, cases.personId))
		.where(and(eq(cases.reference, reference), isNull(users.lockedAt)))
		.get();
	if (!row?.contact || !row.channels.includes('email')) return null;
	const { email } = row.contact;
	return email ? { userId: row.userId, caseId: row.caseId, email } : null;
}

/**
 * Sends a sign-in or reset link, through the outbox, if the case has a safe email. The answer is
 * the same in every case (real or unknown reference, with or without a safe email, locked, or
 * asked too often): the same browser cookie is set, so not even the headers tell which
 * references exist.
 */
export function request(
	reference: string,
	purpose: LinkPurpose,
	cookies: Cookies,
	address: string,
	t: Translate,
	lang: Locale
): void {
	const browser = randomBytes(32).toString('base64url');
	cookies.set(browserCookie, browser, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		maxAge: linkMinutes * 60
	});
	// Its own bucket: asking for links never counts as a failed sign-in, and is capped per
	// reference so nobody can fill a person's inbox.
	if (!rateLimit.allowLink(reference, address)) return;
	const target = safeEmail(reference);
	if (!target) return;
	const token = randomBytes(32).toString('base64url');
	const expiresAt = new Date(Date.now() + linkMinutes * 60_000);
	const path = purpose === 'sign_in' ? '/sign-in/link' : '/sign-in/reset-link';
	const url = new URL(localizePath(path, lang), config().origin);
	url.searchParams.set('token', token);
	const db = database();
	// The link and its email are written together; the outbox sends it and retries a failure.
	// The email says nothing about the case or the service: only that a link was asked for.
	db.transaction((tx) => {
		tx.insert(emailLinks)
			.values({
				userId: target.userId,
				purpose,
				tokenHash: sha256(token),
				browserHash: sha256(browser),
				expiresAt
			})
			.run();
		outbox.enqueue(
			`${purpose}_link`,
			target.caseId,
			{
				channel: 'email',
				to: target.email,
				subject: t(`signIn.email.${purpose}.subject`),
				text: t(`signIn.email.${purpose}.body`, { url: url.href, minutes: String(linkMinutes) }),
				expiresAt: expiresAt.getTime(),
				// Names neither the service nor the case; sent only while email is still safe.
				person: { named: false }
			},
			tx
		);
	});
}

/** The person a link is for, if it is live, unused and opened in the browser that asked. */
function live(token: string, purpose: LinkPurpose, cookies: Cookies) {
	const browser = cookies.get(browserCookie);
	if (!token || !browser) return undefined;
	return database()
		.select()
		.from(emailLinks)
		.where(
			and(
				eq(emailLinks.tokenHash, sha256(token)),
				eq(emailLinks.purpose, purpose),
				eq(emailLinks.browserHash, sha256(browser)),
				isNull(emailLinks.usedAt),
				gt(emailLinks.expiresAt, new Date())
			)
		)
		.get();
}

/** True when the link can still be used here (for showing its page). */
export function isUsable(token: string, purpose: LinkPurpose, cookies: Cookies): boolean {
	return Boolean(live(token, purpose, cookies));
}

function spend(token: string, purpose: LinkPurpose, cookies: Cookies) {
	const link = live(token, purpose, cookies);
	if (!link) return undefined;
	const spent = database()
		.update(emailLinks)
		.set({ usedAt: new Date() })
		.where(and(eq(emailLinks.id, link.id), isNull(emailLinks.usedAt)))
		.returning()
		.get();
	cookies.delete(browserCookie, { path: '/' });
	return spent;
}

/** Signs in with a sign-in link, once; returns the session grant. */
export function signIn(token: string, cookies: Cookies): string | null {
	const link = spend(token, 'sign_in', cookies);
	if (!link) return null;
	audit.record('sign_in', { id: link.userId, role: 'person' });
	return sessions.start(link.userId).grant;
}

/** Sets a new passphrase with a reset link, once; every old session ends. */
export async function reset(token: string, passphrase: string, cookies: Cookies): Promise<boolean> {
	const link = spend(token, 'reset', cookies);
	if (!link) return false;
	await setNewPassphrase(link.userId, passphrase);
	return true;
}
