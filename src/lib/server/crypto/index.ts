import type { Cipher } from './cipher.js';

export { createCipher, DataKeyError, loadCipher, parseDataKey } from './cipher.js';
export type { Cipher, DataKey } from './cipher.js';

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

// HKDF once per key and purpose: a derived key changes only when the data key does.
const derivedKeys = new WeakMap<Cipher, Map<string, Buffer>>();

/**
 * 32 bytes for one purpose other than sealing (a blind index, a sealed search), derived from this
 * cipher's current key (the server's by default) and kept for as long as the cipher is.
 */
export function derivedKey(purpose: string, from: Cipher = cipher()): Buffer {
	let keys = derivedKeys.get(from);
	if (!keys) derivedKeys.set(from, (keys = new Map()));
	let key = keys.get(purpose);
	if (!key) keys.set(purpose, (key = from.derive(purpose)));
	return key;
}
