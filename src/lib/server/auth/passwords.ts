import { argon2Hash, argon2Verify } from './hashing';

// Verifying against a real hash when the account does not exist spends the same time, so the
// response time does not tell anyone whether a reference or email is in use.
let decoy: Promise<string> | undefined;

/** Hashes a passphrase or password with argon2id. */
export function hashSecret(secret: string): Promise<string> {
	return argon2Hash(secret);
}

/** True when the secret matches; always does one argon2 verification, even with no hash. */
export async function verifySecret(
	hashed: string | null | undefined,
	secret: string
): Promise<boolean> {
	if (!decoy) {
		decoy = argon2Hash('decoy passphrase that matches nothing');
		// Made ahead and awaited only for an unknown account: a failure must not go unhandled
		// (it would stop the server), and the next sign-in makes it again.
		decoy.catch(() => {
			decoy = undefined;
		});
	}
	const target = hashed ?? (await decoy);
	const ok = await argon2Verify(target, secret).catch(() => false);
	return ok && Boolean(hashed);
}
