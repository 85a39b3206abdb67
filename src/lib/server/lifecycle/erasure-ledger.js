// The erasure ledger: one line for every case erased on a person's request, kept outside the
// database (beside the backups when BACKUP_DIR is set). A backup taken before an erasure still
// holds the person's details; restoring it would bring them back. The server re-applies every
// erasure in the ledger when it starts (erasures.ts), so a restored database is erased again
// before it answers anyone. A line holds a case id (random, no personal data), when it was
// erased, and the outcome it was closed with: never a name, a reference or a reason.
// Plain JavaScript, like backup.js, so `npm run restore` can read it too.
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { syncPath } from './backup-file.js';

/**
 * @typedef {{ caseId: string, erasedAt: Date, outcome: string }} Erasure
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

/**
 * Adds erasures to the ledger and waits until they are on disk (the file, and the folder the
 * first time it is made). Owner-only permissions.
 * @param {string} path
 * @param {Erasure[]} erasures
 */
export function appendErasures(path, erasures) {
	const lines = erasures
		.map(({ caseId, erasedAt, outcome }) =>
			JSON.stringify({ case: caseId, erasedAt: erasedAt.toISOString(), outcome })
		)
		.join('\n');
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
	syncPath(dirname(resolve(path)));
}

/** @type {string | null} */
let ledger = null;

/**
 * Where the server's erasures are written (the init hook sets it); null writes none (unit tests).
 * @param {string | null} path
 */
export function useErasureLedger(path) {
	ledger = path;
}

/**
 * Adds one committed erasure to the ledger. A failure (a full disk) is logged and the erasure
 * stands: the database records it, and the next start-up adds it to the ledger.
 * @param {Erasure} erasure
 */
export function noteErasure(erasure) {
	if (!ledger) return;
	try {
		appendErasures(ledger, [erasure]);
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		console.error(
			`OneDoor could not add an erasure to the ledger at "${ledger}" (${reason}); it is added when the server next starts.`
		);
	}
}

/**
 * Reads the ledger: every erasure in it (the first of each case), and how many lines could not
 * be read (one cut short by a power cut; anything else is damage to report). No file: none.
 * @param {string} path
 * @returns {{ erasures: Erasure[], unreadable: number, exists: boolean }}
 */
export function readErasures(path) {
	let text;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') {
			return { erasures: [], unreadable: 0, exists: false };
		}
		throw error;
	}
	/** @type {Map<string, Erasure>} */
	const erasures = new Map();
	let unreadable = 0;
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		const erasure = parse(line);
		if (!erasure) unreadable++;
		else if (!erasures.has(erasure.caseId)) erasures.set(erasure.caseId, erasure);
	}
	return { erasures: [...erasures.values()], unreadable, exists: true };
}

/**
 * @param {string} line
 * @returns {Erasure | null}
 */
function parse(line) {
	try {
		const value = JSON.parse(line);
		const erasedAt = new Date(value?.erasedAt);
		if (
			typeof value?.case !== 'string' ||
			!value.case ||
			typeof value.outcome !== 'string' ||
			Number.isNaN(erasedAt.getTime())
		) {
			return null;
		}
		return { caseId: value.case, erasedAt, outcome: value.outcome };
	} catch {
		return null;
	}
}
