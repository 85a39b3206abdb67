import { randomBytes } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import type { Answers } from './schemas';
import { database, unflushed } from '$lib/server/db';
import { referralDrafts } from '$lib/server/db/schema';

/** A draft nobody has touched for this long is deleted. */
export const draftIdleMinutes = 60;

export type Draft = typeof referralDrafts.$inferSelect;

const lifetime = () => new Date(Date.now() + draftIdleMinutes * 60_000);

/** The live draft with this token, or undefined (no token, expired, or already wiped). */
export function find(token: string | undefined): Draft | undefined {
	if (!token) return undefined;
	const draft = database().select().from(referralDrafts).where(eq(referralDrafts.id, token)).get();
	if (!draft) return undefined;
	if (draft.expiresAt.getTime() < Date.now()) {
		database().delete(referralDrafts).where(eq(referralDrafts.id, token)).run();
		return undefined;
	}
	return draft;
}

/** The draft's answers, opened. */
export function answersOf(draft: Draft | undefined): Answers {
	return draft?.answers ?? {};
}

/**
 * The unsent draft with this token, or a new one (sweeping expired ones first); `started` says
 * the draft is new, so its token (`draft.id`) must reach the browser.
 */
export function findOrStart(token: string | undefined): { draft: Draft; started: boolean } {
	const existing = find(token);
	if (existing && !existing.caseId) return { draft: existing, started: false };
	const db = database();
	db.delete(referralDrafts).where(lt(referralDrafts.expiresAt, new Date())).run();
	// A draft's steps are not flushed one by one (`unflushed`): the referral itself is.
	const draft = unflushed(db, () =>
		db
			.insert(referralDrafts)
			.values({
				id: randomBytes(24).toString('base64url'),
				updatedAt: new Date(),
				expiresAt: lifetime()
			})
			.returning()
			.get()
	);
	return { draft, started: true };
}

/** Saves one step's answers (sealed) and pushes the expiry back. */
export function saveAnswers(draft: Draft, answers: Answers, passphraseHash?: string): void {
	const db = database();
	unflushed(db, () =>
		db
			.update(referralDrafts)
			.set({
				answers,
				...(passphraseHash ? { passphraseHash } : {}),
				updatedAt: new Date(),
				expiresAt: lifetime()
			})
			.where(eq(referralDrafts.id, draft.id))
			.run()
	);
}

/** Deletes the draft with this token: quick exit, or starting again. */
export function discard(token: string | undefined): void {
	if (token) database().delete(referralDrafts).where(eq(referralDrafts.id, token)).run();
}
