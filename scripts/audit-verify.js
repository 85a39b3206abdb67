// `npm run audit:verify`: checks the audit trail's chain from its start to its last row and prints
// one line: OK with how many rows hold, or the first broken link (row id, when, what is wrong).
// Exits 1 when the chain is broken. Run it with the server's DATA_KEY, DATA_KEYS_OLD and
// DATABASE_PATH; it only reads, so the server may keep running.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { DataKeyError, loadCipher } from '../src/lib/server/crypto/cipher.js';
import { chainKeys, verifyChain } from '../src/lib/server/audit/hash-chain.js';

const path = process.env.DATABASE_PATH?.trim() || 'data/onedoor.db';

/** @param {string} sentence */
function refuse(sentence) {
	console.error(`OneDoor cannot check the audit trail: ${sentence}`);
	process.exit(2);
}

if (!existsSync(path)) refuse(`there is no database at DATABASE_PATH "${path}".`);
try {
	const cipher = loadCipher(process.env, process.env.NODE_ENV === 'production');
	const sqlite = new Database(path, { fileMustExist: true, readonly: true });
	sqlite.pragma('busy_timeout = 5000');
	const report = verifyChain(sqlite, chainKeys(cipher));
	sqlite.close();
	if (report.ok) {
		console.log(
			`Audit trail OK: ${report.rows} row${report.rows === 1 ? '' : 's'} checked, from ${report.from}.`
		);
	} else {
		const what = [report.action, report.at?.toISOString()].filter(Boolean).join(', ');
		console.log(`Audit trail broken at row ${report.id} (${what}): ${report.reason}.`);
		process.exit(1);
	}
} catch (error) {
	if (error instanceof DataKeyError) refuse(error.message);
	throw error;
}
