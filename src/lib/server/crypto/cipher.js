// Plain JavaScript so that `npm run rekey` (scripts/rekey.js) seals exactly as the server does.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * One AES-256 key and the id stored beside everything it encrypts, so keys can rotate.
 * @typedef {{ id: string, key: Buffer }} DataKey
 */

/**
 * Encrypts and decrypts sensitive fields with AES-256-GCM under the current key.
 * @typedef {object} Cipher
 * @property {(plain: string) => string} encrypt
 * @property {(sealed: string) => string} decrypt
 * @property {string} keyId the current key's id, which new values are sealed with
 * @property {readonly string[]} keyIds every key id it can open: the current one, then retired ones
 * @property {(purpose: string, keyId?: string) => Buffer} derive 32 bytes for one other purpose, derived (HKDF-SHA256) from the current key's secret bytes, or from those of the key with this id (a backup made before a rotation)
 */

/** A data-key problem, told in one sentence naming the variable. */
export class DataKeyError extends Error {
	name = 'DataKeyError';
}

/**
 * Parses `keyid:base64-of-32-bytes`; `DATA_KEYS_OLD` holds retired keys, comma-separated.
 * @param {string} text
 * @param {string} [variable]
 * @returns {DataKey}
 */
export function parseDataKey(text, variable = 'DATA_KEY') {
	const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=_-]+)$/.exec(text.trim());
	const key = match ? Buffer.from(/** @type {string} */ (match[2]), 'base64') : Buffer.alloc(0);
	if (!match || key.length !== 32) {
		throw new DataKeyError(
			`${variable} must be "keyid:" followed by 32 random bytes in base64 (try: node -e "console.log('k1:'+require('crypto').randomBytes(32).toString('base64'))").`
		);
	}
	return { id: /** @type {string} */ (match[1]), key };
}

const version = 'v1';

/**
 * A cipher that seals with `current` and opens anything sealed by `current` or a retired key.
 * @param {DataKey} current
 * @param {readonly DataKey[]} [retired]
 * @returns {Cipher}
 */
export function createCipher(current, retired = []) {
	const keys = new Map([current, ...retired].map((k) => [k.id, k.key]));
	return {
		keyId: current.id,
		keyIds: [...keys.keys()],
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
			if (v !== version || !id || !key || !iv || !tag || body === undefined) {
				throw new Error(`Cannot decrypt a value sealed with key "${id ?? '?'}"`);
			}
			const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
			decipher.setAAD(Buffer.from(id));
			decipher.setAuthTag(Buffer.from(tag, 'base64url'));
			try {
				return Buffer.concat([
					decipher.update(Buffer.from(body, 'base64url')),
					decipher.final()
				]).toString('utf8');
			} catch {
				// GCM's own error ("unable to authenticate data") names neither the key nor the cause.
				throw new Error(
					`Cannot decrypt a value sealed with key "${id}": the key given under that id is not the one it was sealed with, or the value was altered`
				);
			}
		},
		derive(purpose, keyId = current.id) {
			const key = keys.get(keyId);
			if (!key) {
				throw new DataKeyError(
					`Data key "${keyId}" is neither DATA_KEY nor in DATA_KEYS_OLD: add it to DATA_KEYS_OLD.`
				);
			}
			// RFC 5869: a separate key per purpose, so no other use ever holds the data key itself.
			return Buffer.from(hkdfSync('sha256', key, 'onedoor', purpose, 32));
		}
	};
}

/**
 * The cipher for this server or script: DATA_KEY, and the retired keys in DATA_KEYS_OLD. A missing
 * key always stops start-up: only `npm run demo` makes a local one (scripts/demo.js).
 * @param {Record<string, string | undefined>} env
 * @param {boolean} production
 * @returns {Cipher}
 */
export function loadCipher(env, production) {
	const text = env.DATA_KEY?.trim();
	if (!text) {
		throw new DataKeyError(
			production
				? 'DATA_KEY is not set: in production the server needs it to protect what people tell us.'
				: 'DATA_KEY is not set: the server needs it to protect what people tell us (`npm run demo` makes a local one for trying OneDoor).'
		);
	}
	const retired = (env.DATA_KEYS_OLD ?? '')
		.split(',')
		.filter((k) => k.trim())
		.map((k) => parseDataKey(k, 'DATA_KEYS_OLD'));
	return createCipher(parseDataKey(text), retired);
}
