import type { Cookies } from '@sveltejs/kit';
import { randomBytes } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import type { Answers } from '$lib/referral/steps';
import { openJson, sealJson } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { referralDrafts } from '$lib/server/db/schema';

/** The cookie holding the draft's token: a session cookie, gone when the browser closes. */
export const draftCookie = 'od_referral';
/** A draft nobody has touched for this long is deleted. */
export const draftIdleMinutes = 60;

export type Draft = typeof referralDrafts.$inferSelect;

const lifetime = () => new Date(Date.now() + draftIdleMinutes * 60_000);

/** The browser's live draft, or undefined (none, expired, or already wiped). */
export function find(cookies: Cookies): Draft | undefined {
	const id = cookies.get(draftCookie);
	if (!id) return undefined;
	const draft = database().select().from(referralDrafts).where(eq(referralDrafts.id, id)).get();
	if (!draft) return undefined;
	if (draft.expiresAt.getTime() < Date.now()) {
		database().delete(referralDrafts).where(eq(referralDrafts.id, id)).run();
		return undefined;
	}
	return draft;
}

/** The draft's answers, opened. */
export function answersOf(draft: Draft | undefined): Answers {
	return draft?.answersSealed ? openJson<Answers>(draft.answersSealed) : {};
}

/** The browser's draft, starting one (and sweeping expired ones) if it has none. */
export function findOrStart(cookies: Cookies): Draft {
	const existing = find(cookies);
	if (existing && !existing.caseId) return existing;
	const db = database();
	db.delete(referralDrafts).where(lt(referralDrafts.expiresAt, new Date())).run();
	const draft = db
		.insert(referralDrafts)
		.values({
			id: randomBytes(24).toString('base64url'),
			updatedAt: new Date(),
			expiresAt: lifetime()
		})
		.returning()
		.get();
	cookies.set(draftCookie, draft.id, { path: '/', httpOnly: true, sameSite: 'lax' });
	return draft;
}

/** Saves one step's answers (sealed) and pushes the expiry back. */
export function saveAnswers(draft: Draft, answers: Answers, passphraseHash?: string): void {
	database()
		.update(referralDrafts)
		.set({
			answersSealed: sealJson(answers),
			...(passphraseHash ? { passphraseHash } : {}),
			updatedAt: new Date(),
			expiresAt: lifetime()
		})
		.where(eq(referralDrafts.id, draft.id))
		.run();
}

/** Deletes the browser's draft and its cookie: quick exit, or starting again. */
export function discard(cookies: Cookies): void {
	const id = cookies.get(draftCookie);
	if (id) database().delete(referralDrafts).where(eq(referralDrafts.id, id)).run();
	cookies.delete(draftCookie, { path: '/' });
}
