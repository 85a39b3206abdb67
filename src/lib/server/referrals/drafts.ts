import { randomBytes } from 'node:crypto';
import { eq, lt, sql } from 'drizzle-orm';
import type { Answers } from './schemas';
import { database, prepared, unflushed } from '$lib/server/db';
import { referralDrafts } from '$lib/server/db/schema';
import { draftIdleMinutes } from '$lib/referral/steps';

export { draftIdleMinutes };

export type Draft = typeof referralDrafts.$inferSelect;

const lifetime = () => new Date(Date.now() + draftIdleMinutes * 60_000);

// Every referral step reads and writes its draft: these are built once (`prepared`).

/**
 * A placeholder where an update's `set` wants the column's own type. Drizzle runs it through the
 * column (sealing the answers, a date to milliseconds) when the query runs; only its types do not
 * allow one there (the draft tests read back what was saved this way).
 */
const slot = <T>(name: string) => sql.placeholder(name) as unknown as T;
const draftById = prepared((db) =>
	db
		.select()
		.from(referralDrafts)
		.where(eq(referralDrafts.id, sql.placeholder('id')))
		.prepare()
);
const deleteDraft = prepared((db) =>
	db
		.delete(referralDrafts)
		.where(eq(referralDrafts.id, sql.placeholder('id')))
		.prepare()
);
const deleteExpired = prepared((db) =>
	db
		.delete(referralDrafts)
		.where(lt(referralDrafts.expiresAt, sql.placeholder('nowMs')))
		.prepare()
);
const insertDraft = prepared((db) =>
	db
		.insert(referralDrafts)
		.values({
			id: sql.placeholder('id'),
			updatedAt: sql.placeholder('now'),
			expiresAt: sql.placeholder('expiresAt')
		})
		.returning()
		.prepare()
);
const touchDraft = prepared((db) =>
	db
		.update(referralDrafts)
		.set({ expiresAt: slot<Date>('expiresAt') })
		.where(eq(referralDrafts.id, sql.placeholder('id')))
		.prepare()
);
const updateAnswers = prepared((db) =>
	db
		.update(referralDrafts)
		.set({
			answers: slot<Answers>('answers'),
			updatedAt: slot<Date>('now'),
			expiresAt: slot<Date>('expiresAt')
		})
		.where(eq(referralDrafts.id, sql.placeholder('id')))
		.prepare()
);
const updateAnswersAndHash = prepared((db) =>
	db
		.update(referralDrafts)
		.set({
			answers: slot<Answers>('answers'),
			passphraseHash: slot<string>('passphraseHash'),
			updatedAt: slot<Date>('now'),
			expiresAt: slot<Date>('expiresAt')
		})
		.where(eq(referralDrafts.id, sql.placeholder('id')))
		.prepare()
);

/** The live draft with this token, or undefined (no token, expired, or already wiped). */
export function find(token: string | undefined): Draft | undefined {
	if (!token) return undefined;
	const draft = draftById().get({ id: token });
	if (!draft) return undefined;
	if (draft.expiresAt.getTime() < Date.now()) {
		deleteDraft().run({ id: token });
		return undefined;
	}
	return draft;
}

/**
 * The live draft with this token, its expiry pushed back: a step or the check page being looked
 * at is use too, so a person reading or pausing on a page keeps their answers.
 */
export function visit(token: string | undefined): Draft | undefined {
	const draft = find(token);
	if (draft && !draft.caseId) {
		const expiresAt = lifetime();
		unflushed(database(), () => touchDraft().run({ id: draft.id, expiresAt }));
		draft.expiresAt = expiresAt;
	}
	return draft;
}

/** The draft's answers, opened. */
export function answersOf(draft: Draft | undefined): Answers {
	return draft?.answers ?? {};
}

/**
 * The unsent draft with this token, or a new one (sweeping expired ones first); `started` says
 * the draft is new, so its token (`draft.id`) must reach the browser, and `lost` that the
 * browser had a draft we no longer hold (deleted after an hour unused): its answers are gone.
 */
export function findOrStart(token: string | undefined): {
	draft: Draft;
	started: boolean;
	lost: boolean;
} {
	const existing = find(token);
	if (existing && !existing.caseId) return { draft: existing, started: false, lost: false };
	const db = database();
	const now = new Date();
	// A placeholder in a comparison is not mapped by its column: the time goes in as stored.
	deleteExpired().run({ nowMs: now.getTime() });
	// A draft's steps are not flushed one by one (`unflushed`): the referral itself is.
	const draft = unflushed(db, () =>
		insertDraft().get({
			id: randomBytes(24).toString('base64url'),
			now,
			expiresAt: lifetime()
		})
	);
	return { draft, started: true, lost: Boolean(token) && !existing };
}

/** Saves one step's answers (sealed) and pushes the expiry back. */
export function saveAnswers(draft: Draft, answers: Answers, passphraseHash?: string): void {
	const values = { answers, now: new Date(), expiresAt: lifetime(), id: draft.id };
	unflushed(database(), () =>
		passphraseHash
			? updateAnswersAndHash().run({ ...values, passphraseHash })
			: updateAnswers().run(values)
	);
}

/** Deletes the draft with this token: quick exit, or starting again. */
export function discard(token: string | undefined): void {
	if (token) deleteDraft().run({ id: token });
}
