// `npm run restore -- <file>`: replaces the database at DATABASE_PATH with the backup <file>, once
// the file has been checked (it opens with a configured data key, SQLite's integrity check
// passes, its migrations are this version's or older, every sealed value's key is configured).
// The database it replaces is kept as <DATABASE_PATH>.before-restore-<time>. Stop the server
// first: restore refuses while it has the database open.
// `npm run restore -- --check <file>` does every check and replaces nothing: a restore test.
// Both say how many cases in the backup were erased after it was made, from the erasure ledger
// (ERASURE_LEDGER, or erasures.ledger in BACKUP_DIR, or <DATABASE_PATH>.erasures): the server
// erases them again as it starts.
import { DataKeyError, loadCipher } from '../src/lib/server/crypto/cipher.js';
import { BackupError, restoreBackup } from '../src/lib/server/lifecycle/backup.js';
import { ledgerPath, readErasures } from '../src/lib/server/lifecycle/erasure-ledger.js';

const path = process.env.DATABASE_PATH?.trim() || 'data/onedoor.db';
const migrationsFolder = process.env.MIGRATIONS_DIR?.trim() || 'drizzle';

/** @param {string} sentence */
function refuse(sentence) {
	console.error(`OneDoor cannot restore: ${sentence} Nothing was replaced.`);
	process.exit(1);
}

const args = process.argv.slice(2);
const checkOnly = args[0] === '--check';
const files = checkOnly ? args.slice(1) : args;
const file = files[0];
if (!file || files.length > 1 || file.startsWith('--')) {
	refuse('name one backup file: `npm run restore -- <file>` (or `-- --check <file>` to test it).');
}
const ledger = ledgerPath(process.env);
try {
	const cipher = loadCipher(process.env, process.env.NODE_ENV === 'production');
	/** @type {ReturnType<typeof readErasures>} */
	let erasures;
	try {
		erasures = readErasures(ledger, cipher);
	} catch (error) {
		refuse(
			`the erasure ledger at "${ledger}" cannot be read (${error instanceof Error ? error.message : error}).`
		);
		throw error;
	}
	const done = await restoreBackup(/** @type {string} */ (file), path, cipher, {
		migrationsFolder,
		checkOnly,
		erased: erasures.erasures.map((erasure) => erasure.caseId)
	});
	const n = done.toErase;
	const erasedLater = !erasures.exists
		? `There is no erasure ledger at "${ledger}": cases erased after this backup was made are in it again. Put the ledger kept with the backups there (or name it in ERASURE_LEDGER) before the server starts, and it erases them again.`
		: n > 0
			? `${n === 1 ? '1 case' : `${n} cases`} in it ${n === 1 ? 'was' : 'were'} erased after it was made: the server erases ${n === 1 ? 'it' : 'them'} again as it starts, before it answers anyone (erasure ledger "${ledger}").`
			: `No case in it was erased after it was made (erasure ledger "${ledger}").`;
	const made = done.createdAt ? `made ${done.createdAt}` : 'a plain, unencrypted database file';
	const m = done.migrationsApplied;
	const migrations = m === 1 ? '1 newer migration' : `${m} newer migrations`;
	if (checkOnly) {
		console.log(
			`The backup "${file}" (${made}) can be restored: every check passed` +
				(m ? `, and ${migrations} would be applied.` : '.') +
				' Nothing was replaced.'
		);
	} else {
		console.log(
			`Restored "${file}" (${made}) to "${path}"` +
				(m ? `, with ${migrations} applied. ` : '. ') +
				(done.keptAside
					? `The database it replaced is kept at "${done.keptAside}": delete it once the restored service is checked.`
					: 'There was no database there before.')
		);
	}
	(erasures.exists ? console.log : console.warn)(erasedLater);
} catch (error) {
	if (error instanceof DataKeyError || error instanceof BackupError) refuse(error.message);
	throw error;
}
