// The erasure ledger: one line for every case erased on a person's request, kept outside the
// database (beside the backups when BACKUP_DIR is set). A backup taken before an erasure still
// holds the person's details; restoring it would bring them back. The server re-applies every
// erasure in the ledger when it starts (erasures.ts), so a restored database is erased again
// before it answers anyone. A line holds a case id (random, pseudonymous: it means something only
// beside a database or backup), when it was erased, the outcome it was closed with, and a MAC
// under a key derived from the data key: never a name, a reference or a reason.
// Plain JavaScript, like backup.js, so `npm run restore` can read it too.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { syncPath } from './backup-file.js';

/**
 * @typedef {{ caseId: string, erasedAt: Date, outcome: string }} Erasure
 * @typedef {import('../crypto/cipher.js').Cipher} Cipher
 */

/**
 * Where the ledger is: ERASURE_LEDGER, or `erasures.ledger` in BACKUP_DIR, which is copied off
 * the machine with the backups, or else beside the database. `env` is the process environment.
 * @param {Record<string, string | undefined>} env
 * @returns {string}
 */
export function ledgerPath(env) {
	const explicit = env.ERASURE_LEDGER?.trim();
	if (explicit) return explicit;
	const backups = env.BACKUP_DIR?.trim();
	if (backups) return join(backups, 'erasures.ledger');
	return `${env.DATABASE_PATH?.trim() || 'data/onedoor.db'}.erasures`;
}

const purpose = 'erasure-ledger';

/**
 * The line's MAC, under a key derived for the ledger alone from the data key `keyId`: a line
 * someone added to the ledger by hand (it sits in a folder often shared for backups) would
 * otherwise wipe a live case at the next start.
 * @param {Cipher} cipher
 * @param {string} keyId
 * @param {string} caseId
 * @param {string} erasedAt
 * @param {string} outcome
 */
function mac(cipher, keyId, caseId, erasedAt, outcome) {
	return createHmac('sha256', cipher.derive(purpose, keyId))
		.update(`${caseId}|${erasedAt}|${outcome}`)
		.digest('base64url');
}

/**
 * Adds erasures to the ledger, each line signed under the current data key, and waits until
 * they are on disk. Makes the ledger's folder (owner only) and the file if they are missing.
 * @param {string} path
 * @param {Erasure[]} erasures
 * @param {Cipher} cipher
 */
export function appendErasures(path, erasures, cipher) {
	const lines = erasures
		.map(({ caseId, erasedAt, outcome }) => {
			const at = erasedAt.toISOString();
			const key = cipher.keyId;
			return JSON.stringify({
				case: caseId,
				erasedAt: at,
				outcome,
				key,
				mac: mac(cipher, key, caseId, at, outcome)
			});
		})
		.join('\n');
	const folder = dirname(resolve(path));
	mkdirSync(folder, { recursive: true, mode: 0o700 });
	// With none to add, this makes the ledger if it is missing: at the server's first start, so a
	// ledger missing later was lost, not never begun.
	const fd = openSync(path, 'a', 0o600);
	try {
		if (lines) {
			// A line cut short by a power cut is skipped on reading; the next line starts afresh.
			writeSync(fd, `\n${lines}\n`);
			fsyncSync(fd);
		}
	} finally {
		closeSync(fd);
	}
	syncPath(folder);
}

/** @type {{ path: string, cipher: Cipher } | null} */
let ledger = null;

/**
 * Where the server's erasures are written, signed with `cipher` (the init hook sets it); null
 * writes none (unit tests).
 * @param {{ path: string, cipher: Cipher } | null} to
 */
export function useErasureLedger(to) {
	ledger = to;
}

/**
 * Adds one committed erasure to the ledger. A failure (a full disk) is logged and the erasure
 * stands: the database records it, and the next start-up adds it to the ledger.
 * @param {Erasure} erasure
 */
export function noteErasure(erasure) {
	if (!ledger) return;
	try {
		appendErasures(ledger.path, [erasure], ledger.cipher);
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		console.error(
			`OneDoor could not add an erasure to the ledger at "${ledger.path}" (${reason}); it is added when the server next starts.`
		);
	}
}

/**
 * Reads the ledger: every erasure in it whose signature holds under a configured data key (the
 * first of each case); how many lines could not be read (one cut short by a power cut; more is
 * damage); and the case ids of lines that read but could not be trusted (signed under a retired
 * key no longer configured, or not written by the server). No file: none, and `exists` is false.
 * @param {string} path
 * @param {Cipher} cipher
 * @returns {{ erasures: Erasure[], unreadable: number, untrusted: string[], exists: boolean }}
 */
export function readErasures(path, cipher) {
	let text;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') {
			return { erasures: [], unreadable: 0, untrusted: [], exists: false };
		}
		throw error;
	}
	/** @type {Map<string, Erasure>} */
	const erasures = new Map();
	let unreadable = 0;
	/** @type {string[]} */
	const untrusted = [];
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		const erasure = parse(line, cipher);
		if (erasure === null) unreadable++;
		else if (typeof erasure === 'string') untrusted.push(erasure);
		else if (!erasures.has(erasure.caseId)) erasures.set(erasure.caseId, erasure);
	}
	return { erasures: [...erasures.values()], unreadable, untrusted, exists: true };
}

/**
 * One line: the erasure, or the case id it names when its signature does not hold (or its key is
 * not configured), or null when it cannot be read at all.
 * @param {string} line
 * @param {Cipher} cipher
 * @returns {Erasure | string | null}
 */
function parse(line, cipher) {
	let value;
	try {
		value = JSON.parse(line);
	} catch {
		return null;
	}
	if (typeof value?.case !== 'string' || !value.case) return null;
	const erasedAt = new Date(value.erasedAt);
	if (
		typeof value.outcome !== 'string' ||
		typeof value.key !== 'string' ||
		typeof value.mac !== 'string' ||
		Number.isNaN(erasedAt.getTime())
	) {
		return value.case;
	}
	try {
		const expected = Buffer.from(mac(cipher, value.key, value.case, value.erasedAt, value.outcome));
		const given = Buffer.from(value.mac);
		if (given.length !== expected.length || !timingSafeEqual(given, expected)) return value.case;
	} catch {
		// Signed under a key that is no longer configured.
		return value.case;
	}
	return { caseId: value.case, erasedAt, outcome: value.outcome };
}
