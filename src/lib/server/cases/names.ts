import { createHmac } from 'node:crypto';
import { eq, gt, isNull, lt, or } from 'drizzle-orm';
import { cipher, derivedKey, type Cipher } from '$lib/server/crypto';
import { database, type Db } from '$lib/server/db';
import { caseNameTokens, cases, referrals, type ReferralNames } from '$lib/server/db/schema';
import { firstContactDue } from './clock';
import type { Tx } from './command';

/*
 * The blind index of names: a name search finds its cases without opening a sealed name.
 *
 * Each name on a case (the referrer's and, for a friend or family member, the person they act
 * for) is cut into normalised tokens, and each token is stored as an HMAC-SHA256 under a key
 * derived (HKDF, its own label) from the current data key. A search normalises what was typed
 * the same way and asks for the cases holding every typed token: whole names (tokens), exactly.
 *
 * Normalisation, so a name is found however it was typed:
 * - Unicode NFKD, then every combining mark dropped: accents (é→e, ń→n, ż→z, ü→u) and Arabic
 *   short vowels and shadda (tashkeel), hamza above or below an alef (أ إ آ → ا);
 * - letters that carry no separable accent folded by hand: ł→l, đ/ð→d, ø→o, ß→ss, æ→ae, œ→oe,
 *   ı→i, þ→th; Arabic alef wasla ٱ→ا, alef maqsura ى→ي, taa marbuta ة→ه, tatweel ـ dropped;
 * - lower case;
 * - split on anything that is not a letter or a digit: spaces, hyphens and dashes, apostrophes
 *   (' ’ ʼ), dots, commas. "Al-Hassan" is "al" and "hassan"; "O'Brien" is "o" and "brien".
 */

const folds: Record<string, string> = {
	ł: 'l',
	đ: 'd',
	ð: 'd',
	ø: 'o',
	ß: 'ss',
	æ: 'ae',
	œ: 'oe',
	ı: 'i',
	þ: 'th',
	'\u0671': '\u0627',
	'\u0649': '\u064a',
	'\u0629': '\u0647',
	'\u0640': ''
};
const foldable = new RegExp(`[${Object.keys(folds).join('')}]`, 'g');

/** A name's search tokens, normalised as above, each once. */
export function nameTokens(name: string | null | undefined): string[] {
	if (!name) return [];
	const plain = name
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(foldable, (c) => folds[c] ?? c);
	return [...new Set(plain.split(/[^\p{L}\p{N}]+/u).filter(Boolean))];
}

const indexKey = (active: Cipher): Buffer => derivedKey('case-name-index', active);

/** The stored form of one token: its HMAC under the index key, base64url. */
function blind(token: string, active: Cipher): string {
	return createHmac('sha256', indexKey(active)).update(token).digest('base64url');
}

/** The blinded tokens a search for `typed` must all find on a case ([] when it has none). */
export function searchTokens(typed: string): string[] {
	const active = cipher();
	return nameTokens(typed).map((token) => blind(token, active));
}

/** Every blinded token of a case's names. */
function caseTokens(names: ReferralNames | null): string[] {
	const active = cipher();
	const tokens = new Set([...nameTokens(names?.name), ...nameTokens(names?.them)]);
	return [...tokens].map((token) => blind(token, active));
}

/**
 * Writes a case's name index in the caller's transaction, replacing what was there: when the
 * case is opened (cases/command.ts `openCase`) and whenever its names change.
 */
export function indexNames(
	tx: Pick<Tx, 'insert' | 'delete' | 'update'>,
	caseId: string,
	names: ReferralNames | null
): void {
	tx.delete(caseNameTokens).where(eq(caseNameTokens.caseId, caseId)).run();
	indexNewCase(tx, caseId, names);
	tx.update(cases).set({ nameIndexKey: nameIndexKeyId() }).where(eq(cases.id, caseId)).run();
}

/** The id of the key a name index made now is made under: a case's `nameIndexKey`. */
export function nameIndexKeyId(): string {
	return cipher().keyId;
}

/**
 * Writes the name index of a case just inserted with `nameIndexKey: nameIndexKeyId()`, which has
 * none to replace: `openCase`'s part, two statements and a rewrite of the case row fewer than
 * `indexNames`.
 */
export function indexNewCase(
	tx: Pick<Tx, 'insert'>,
	caseId: string,
	names: ReferralNames | null
): void {
	const tokens = caseTokens(names);
	if (tokens.length > 0) {
		tx.insert(caseNameTokens)
			.values(tokens.map((token) => ({ token, caseId })))
			.onConflictDoNothing()
			.run();
	}
}

/**
 * Completes what SQL cannot compute: the name index of each case with none, or one made under a
 * key that is no longer the current one (after a rotation: the index follows DATA_KEY), and the
 * first-contact due date of each case written without one (opened before it was stored, or
 * back-dated by a script). The server runs it once as it starts (hooks.server.ts `init`), after
 * the migrations and the key check, so a new DATA_KEY rebuilds the index before any console page
 * is served; cases opened while it runs are indexed by `openCase` itself. The work runs in code,
 * 500 cases to a short transaction.
 * Returns how many cases it updated.
 */
export function completeIndexes(db: Db = database()): number {
	const active = cipher();
	let updated = 0;
	for (;;) {
		const page = db
			.select({ id: cases.id, names: referrals.names })
			.from(cases)
			.innerJoin(referrals, eq(referrals.id, cases.referralId))
			.where(
				// Three ranges of the key's index, rather than `<>`, which would read all of it.
				or(
					isNull(cases.nameIndexKey),
					lt(cases.nameIndexKey, active.keyId),
					gt(cases.nameIndexKey, active.keyId)
				)
			)
			.limit(500)
			.all();
		if (page.length === 0) break;
		db.transaction((tx) => {
			for (const row of page) indexNames(tx, row.id, row.names);
		});
		updated += page.length;
	}
	for (;;) {
		const page = db
			.select({ id: cases.id, createdAt: cases.createdAt, priority: cases.priority })
			.from(cases)
			.where(isNull(cases.firstContactDueAt))
			.limit(500)
			.all();
		if (page.length === 0) break;
		db.transaction((tx) => {
			for (const row of page) {
				tx.update(cases)
					.set({ firstContactDueAt: firstContactDue(row.createdAt, row.priority) })
					.where(eq(cases.id, row.id))
					.run();
			}
		});
		updated += page.length;
	}
	return updated;
}
