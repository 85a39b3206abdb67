import type { Cookies } from '@sveltejs/kit';
import { and, eq, isNull } from 'drizzle-orm';
import * as audit from '$lib/server/audit';
import { database } from '$lib/server/db';
import { cases, emailLinks, users } from '$lib/server/db/schema';
import { newReference } from '$lib/referral/reference';
import { hashSecret, verifySecret } from './passwords';
import * as devices from './devices';
import * as rateLimit from './rate-limit';
import * as sessions from './sessions';
import { westernDigits } from '$lib/digits';

/** The person behind a case reference, with what signing in and resetting need. */
function findPerson(reference: string) {
	return (
		database()
			.select({
				id: users.id,
				caseId: cases.id,
				reference: cases.reference,
				caseworkerId: cases.caseworkerId,
				secretHash: users.secretHash,
				lockedAt: users.lockedAt,
				resetHash: users.resetHash,
				resetExpiresAt: users.resetExpiresAt
			})
			.from(cases)
			.innerJoin(users, eq(users.id, cases.personId))
			// An anonymised case has nobody behind it: no sign-in, unlock or reset code reaches it.
			.where(and(eq(cases.reference, reference), isNull(cases.anonymisedAt)))
			.get()
	);
}

export type PersonSignIn =
	| { ok: true; grant: string }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'lockedOut'; until: Date }
	| { ok: false; reason: 'accountLocked' };

/**
 * Signs a person in with their case reference and passphrase. Unknown references and wrong
 * passphrases fail the same way, after the same argon2 work, and count towards the same limits.
 * Wrong guesses lock the guesser (this reference from this address), never the person: from a
 * browser where they signed in before (`cookies`), the right passphrase always works.
 */
export async function signIn(
	reference: string,
	passphrase: string,
	address: string,
	cookies?: Cookies
): Promise<PersonSignIn> {
	const attempt = {
		account: reference,
		address,
		device: cookies ? devices.trusted(cookies, reference) : null
	};
	const tried = rateLimit.begin(attempt);
	if ('until' in tried) {
		audit.record('sign_in_locked_out', null);
		return { ok: false, reason: 'lockedOut', until: tried.until };
	}
	const person = findPerson(reference);
	const matches = await verifySecret(person?.secretHash, passphrase);
	if (!person || !matches) {
		audit.record('sign_in_failed', null, { subjectId: person?.id });
		return { ok: false, reason: 'invalid' };
	}
	tried.right();
	// Only someone who knows the passphrase learns the account is locked.
	if (person.lockedAt) {
		audit.record('sign_in_failed', null, { subjectId: person.id });
		return { ok: false, reason: 'accountLocked' };
	}
	rateLimit.succeed(attempt);
	if (cookies) devices.remember(cookies, reference, attempt.device);
	const { grant } = sessions.start(person.id);
	audit.record('sign_in', { id: person.id, role: 'person' });
	return { ok: true, grant };
}

/**
 * Checks the signed-in person's passphrase again before a change that could hand the account to
 * someone else (a new safe email or phone). Wrong answers count like sign-in failures.
 */
export async function confirmPassphrase(
	personId: string,
	passphrase: string,
	address: string
): Promise<'ok' | 'invalid' | 'lockedOut'> {
	const attempt = { account: `confirm:${personId}`, address };
	const tried = rateLimit.begin(attempt);
	if ('until' in tried) return 'lockedOut';
	const person = database()
		.select({ secretHash: users.secretHash })
		.from(users)
		.where(eq(users.id, personId))
		.get();
	if (!(await verifySecret(person?.secretHash, passphrase))) {
		audit.record('sign_in_failed', { id: personId, role: 'person' }, { subjectId: personId });
		return 'invalid';
	}
	tried.right();
	rateLimit.succeed(attempt);
	return 'ok';
}

/** "Lock my account": ends every session and blocks sign-in until the named contact unlocks it. */
export function lock(user: { userId: string; role: string }): void {
	database().update(users).set({ lockedAt: new Date() }).where(eq(users.id, user.userId)).run();
	sessions.endAll(user.userId);
	audit.record('account_locked', { id: user.userId, role: user.role }, { subjectId: user.userId });
}

/** A reset code lasts a day: long enough to read out on the phone and use that evening. */
export const resetCodeHours = 24;

type Actor = { userId: string; role: string };

/** The person behind a case reference, for their named contact (or a supervisor). */
export function byReference(reference: string) {
	const person = findPerson(reference);
	return (
		person && {
			personId: person.id,
			caseId: person.caseId,
			reference: person.reference,
			caseworkerId: person.caseworkerId,
			lockedAt: person.lockedAt
		}
	);
}

/** The named contact unlocks a locked account. */
export function unlock(actor: Actor, personId: string, caseId: string): void {
	database().transaction((tx) => {
		tx.update(users).set({ lockedAt: null }).where(eq(users.id, personId)).run();
		audit.record(
			'account_unlocked',
			{ id: actor.userId, role: actor.role },
			{ caseId, subjectId: personId },
			tx
		);
	});
}

/**
 * Issues a one-time reset code after the named contact has verified the person by phone. Only
 * its hash is kept; the code is shown once to read out.
 */
export async function issueResetCode(
	actor: Actor,
	personId: string,
	caseId: string
): Promise<string> {
	const code = newReference().replace('-', '');
	const resetHash = await hashSecret(code);
	database().transaction((tx) => {
		tx.update(users)
			.set({ resetHash, resetExpiresAt: new Date(Date.now() + resetCodeHours * 3_600_000) })
			.where(eq(users.id, personId))
			.run();
		audit.record(
			'passphrase_reset',
			{ id: actor.userId, role: actor.role },
			{ caseId, subjectId: personId },
			tx
		);
	});
	return code;
}

export type ResetResult =
	{ ok: true } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'lockedOut'; until: Date };

/** The person sets a new passphrase with their reference and the code; every session ends. */
export async function resetWithCode(
	reference: string,
	code: string,
	passphrase: string,
	address: string
): Promise<ResetResult> {
	const attempt = { account: `reset:${reference}`, address };
	const tried = rateLimit.begin(attempt);
	if ('until' in tried) return { ok: false, reason: 'lockedOut', until: tried.until };
	const person = findPerson(reference);
	const live = person?.resetExpiresAt && person.resetExpiresAt.getTime() > Date.now();
	const matches = await verifySecret(
		live ? person?.resetHash : null,
		westernDigits(code).toUpperCase().replace(/[\s-]/g, '')
	);
	if (!person || !matches) {
		audit.record('sign_in_failed', null, { subjectId: person?.id });
		return { ok: false, reason: 'invalid' };
	}
	tried.right();
	await setNewPassphrase(person.id, passphrase);
	return { ok: true };
}

/**
 * A person's new passphrase, by a reset code or a reset link: every other way back in goes with
 * the old one. The reset code (if one is waiting), every unused emailed link, every session.
 */
export async function setNewPassphrase(personId: string, passphrase: string): Promise<void> {
	const secretHash = await hashSecret(passphrase);
	const now = new Date();
	database().transaction((tx) => {
		tx.update(users)
			.set({ secretHash, resetHash: null, resetExpiresAt: null })
			.where(eq(users.id, personId))
			.run();
		tx.update(emailLinks)
			.set({ usedAt: now })
			.where(and(eq(emailLinks.userId, personId), isNull(emailLinks.usedAt)))
			.run();
	});
	sessions.endAll(personId);
	audit.record('passphrase_reset', { id: personId, role: 'person' }, { subjectId: personId });
}
