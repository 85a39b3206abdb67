import { eq } from 'drizzle-orm';
import * as audit from '$lib/server/audit';
import { database } from '$lib/server/db';
import { cases, users } from '$lib/server/db/schema';
import { verifySecret } from './passwords';
import * as rateLimit from './rate-limit';
import * as sessions from './sessions';

export type PersonSignIn =
	| { ok: true; grant: string }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'lockedOut'; until: Date }
	| { ok: false; reason: 'accountLocked' };

/**
 * Signs a person in with their case reference and passphrase. Unknown references and wrong
 * passphrases fail the same way, after the same argon2 work, and count towards the same limits.
 */
export async function signIn(
	reference: string,
	passphrase: string,
	address: string
): Promise<PersonSignIn> {
	const until = rateLimit.lockedUntil(reference, address);
	if (until) {
		audit.record('sign_in_locked_out', null);
		return { ok: false, reason: 'lockedOut', until };
	}
	const person = database()
		.select({
			id: users.id,
			role: users.role,
			secretHash: users.secretHash,
			lockedAt: users.lockedAt
		})
		.from(cases)
		.innerJoin(users, eq(users.id, cases.personId))
		.where(eq(cases.reference, reference))
		.get();
	const matches = await verifySecret(person?.secretHash, passphrase);
	if (!person || !matches) {
		rateLimit.fail(reference, address);
		audit.record('sign_in_failed', null, { subjectId: person?.id });
		return { ok: false, reason: 'invalid' };
	}
	// Only someone who knows the passphrase learns the account is locked.
	if (person.lockedAt) {
		audit.record('sign_in_failed', null, { subjectId: person.id });
		return { ok: false, reason: 'accountLocked' };
	}
	rateLimit.succeed(reference);
	const { grant } = sessions.start(person.id);
	audit.record('sign_in', { id: person.id, role: person.role });
	return { ok: true, grant };
}

/** "Lock my account": ends every session and blocks sign-in until the named contact unlocks it. */
export function lock(user: { userId: string; role: string }): void {
	database().update(users).set({ lockedAt: new Date() }).where(eq(users.id, user.userId)).run();
	sessions.endAll(user.userId);
	audit.record('account_locked', { id: user.userId, role: user.role }, { subjectId: user.userId });
}
