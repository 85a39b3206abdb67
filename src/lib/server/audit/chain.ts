import { cipher, type Cipher } from '$lib/server/crypto';
import { database, type Db } from '$lib/server/db';
import {
	ChainBrokenError,
	chainKeys,
	completeChain as completeLinks,
	pruneAudit as pruneLinks,
	verifyChain as verifyLinks,
	type ChainKeys,
	type ChainReport
} from './hash-chain.js';

export { lastLink, seal } from './hash-chain.js';
export type { ChainKeys, ChainReport };

// HKDF once per data key, not once per audit row: the keys change only when the data key does.
const derived = new WeakMap<Cipher, ChainKeys>();

/** The chain's MAC keys for a cipher (the server's own by default): its current key and every retired one. */
export function keysOf(active: Cipher = cipher()): ChainKeys {
	let keys = derived.get(active);
	if (!keys) {
		keys = chainKeys(active);
		derived.set(active, keys);
	}
	return keys;
}

/**
 * Checks the audit trail from its start to its last row, one row at a time; the first broken link
 * (its row id, when, and what is wrong there) or how many rows hold.
 */
export function verifyChain(db: Db = database(), keys: ChainKeys = keysOf()): ChainReport {
	return verifyLinks(db.$client, keys);
}

/**
 * Seals the rows written before the chain began, and re-seals rows under a retired data key with
 * the current one, as the server starts. A broken link is told in one line and left for
 * `npm run audit:verify`: the service keeps running, and new rows are still sealed.
 */
export function completeChain(db: Db = database(), keys: ChainKeys = keysOf()): number {
	try {
		return completeLinks(db.$client, keys);
	} catch (error) {
		if (!(error instanceof ChainBrokenError)) throw error;
		console.error(`OneDoor: ${error.message} (npm run audit:verify tells more).`);
		return 0;
	}
}

/**
 * Removes the audit rows older than `before`, oldest first, a batch per short transaction, and
 * moves the chain's anchor to the last one removed so the rest still verifies. Returns the count.
 */
export function pruneAudit(before: Date, db: Db = database()): number {
	return pruneLinks(db.$client, before);
}
