import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** One AES-256 key and the id stored beside everything it encrypts, so keys can rotate. */
export interface DataKey {
	id: string;
	key: Buffer;
}

/** A data-key problem, told in one sentence naming the variable. */
export class DataKeyError extends Error {
	override name = 'DataKeyError';
}

/** Parses `keyid:base64-of-32-bytes`; `DATA_KEYS_OLD` holds retired keys, comma-separated. */
export function parseDataKey(text: string, variable = 'DATA_KEY'): DataKey {
	const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=_-]+)$/.exec(text.trim());
	const key = match ? Buffer.from(match[2]!, 'base64') : Buffer.alloc(0);
	if (!match || key.length !== 32) {
		throw new DataKeyError(
			`${variable} must be "keyid:" followed by 32 random bytes in base64 (try: node -e "console.log('k1:'+require('crypto').randomBytes(32).toString('base64'))").`
		);
	}
	return { id: match[1]!, key };
}

/** Encrypts and decrypts sensitive fields with AES-256-GCM under the current key. */
export interface Cipher {
	encrypt(plain: string): string;
	decrypt(sealed: string): string;
	/** 32 bytes for one other purpose, derived (HKDF-SHA256) from the current key's secret bytes. */
	derive(purpose: string): Buffer;
	keyId: string;
}

const version = 'v1';

/** A cipher that seals with `current` and opens anything sealed by `current` or a retired key. */
export function createCipher(current: DataKey, retired: readonly DataKey[] = []): Cipher {
	const keys = new Map([current, ...retired].map((k) => [k.id, k.key]));
	return {
		keyId: current.id,
		encrypt(plain) {
			const iv = randomBytes(12);
			const cipher = createCipheriv('aes-256-gcm', current.key, iv);
			// The key id is bound into the tag, so a value cannot be relabelled to another key.
			cipher.setAAD(Buffer.from(current.id));
			const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
			const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
			return [version, current.id, ...parts].join('.');
		},
		decrypt(sealed) {
			const [v, id, iv, tag, body] = sealed.split('.');
			const key = id ? keys.get(id) : undefined;
			if (v !== version || !key || !iv || !tag || body === undefined) {
				throw new Error(`Cannot decrypt a value sealed with key "${id ?? '?'}"`);
			}
			const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
			decipher.setAAD(Buffer.from(id!));
			decipher.setAuthTag(Buffer.from(tag, 'base64url'));
			return Buffer.concat([
				decipher.update(Buffer.from(body, 'base64url')),
				decipher.final()
			]).toString('utf8');
		},
		derive(purpose) {
			// RFC 5869: a separate key per purpose, so no other use ever holds the data key itself.
			return Buffer.from(hkdfSync('sha256', current.key, 'onedoor', purpose, 32));
		}
	};
}

let active: Cipher | undefined;

/** Installs the cipher the server (or a test) uses. */
export function useCipher(cipher: Cipher): Cipher {
	active = cipher;
	return cipher;
}

/** The running server's cipher. */
export function cipher(): Cipher {
	if (!active) throw new Error('The data key is not loaded yet: the init hook loads it.');
	return active;
}

/** Seals a value for storage; `null` stays `null` so optional fields stay optional. */
export function seal(plain: string | null | undefined): string | null {
	return plain === null || plain === undefined || plain === '' ? null : cipher().encrypt(plain);
}

/** Opens a stored value sealed by `seal`. */
export function open(sealed: string | null): string | null {
	return sealed === null ? null : cipher().decrypt(sealed);
}

/** Seals a JSON value. */
export function sealJson(value: unknown): string {
	return cipher().encrypt(JSON.stringify(value));
}

/** Opens a JSON value sealed by `sealJson`. */
export function openJson<T>(sealed: string): T {
	return JSON.parse(cipher().decrypt(sealed)) as T;
}
