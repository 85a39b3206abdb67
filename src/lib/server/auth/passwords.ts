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
	decoy ??= argon2Hash('decoy passphrase that matches nothing');
	const target = hashed ?? (await decoy);
	const ok = await argon2Verify(target, secret).catch(() => false);
	return ok && Boolean(hashed);
}
