import { describe, expect, it } from 'vitest';
import { argon2Hash, argon2Verify, hashingThreads } from './hashing';
import { hashSecret, verifySecret } from './passwords';

describe('argon2 on the hashing threads', () => {
	it('hashes with argon2id at the parameters the app has always used, and verifies', async () => {
		const hashed = await argon2Hash('lantern harbour tide');
		expect(hashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(await argon2Verify(hashed, 'lantern harbour tide')).toBe(true);
		expect(await argon2Verify(hashed, 'lantern harbour tied')).toBe(false);
	});

	it('gives each of a burst of hashes back to its own caller', async () => {
		const secrets = Array.from({ length: hashingThreads + 4 }, (_, i) => `secret number ${i}`);
		const hashes = await Promise.all(secrets.map((secret) => hashSecret(secret)));
		expect(new Set(hashes).size).toBe(secrets.length);
		const checks = await Promise.all(
			hashes.flatMap((hashed, i) => [
				verifySecret(hashed, secrets[i]!),
				verifySecret(hashed, secrets[(i + 1) % secrets.length]!)
			])
		);
		expect(checks).toEqual(secrets.flatMap(() => [true, false]));
	});

	it('refuses a damaged hash, and the next hash is still made', async () => {
		await expect(argon2Verify('$argon2id$v=19$not-a-hash', 'anything')).rejects.toThrow();
		expect(await verifySecret('$argon2id$v=19$not-a-hash', 'anything')).toBe(false);
		expect(await verifySecret(await hashSecret('after'), 'after')).toBe(true);
	});
});
