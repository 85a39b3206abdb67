// `npm run restore -- <file>`: replaces the database at DATABASE_PATH with the backup <file>, once
// the file has been checked (it opens with a configured data key, SQLite's integrity check
// passes, its migrations are this version's or older, every sealed value's key is configured).
// The database it replaces is kept as <DATABASE_PATH>.before-restore-<time>. Stop the server
// first: restore refuses while it has the database open.
// `npm run restore -- --check <file>` does every check and replaces nothing: a restore test.
import { DataKeyError, loadCipher } from '../src/lib/server/crypto/cipher.js';
import { BackupError, restoreBackup } from '../src/lib/server/lifecycle/backup.js';

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
try {
	const cipher = loadCipher(process.env, process.env.NODE_ENV === 'production');
	const done = await restoreBackup(/** @type {string} */ (file), path, cipher, {
		migrationsFolder,
		checkOnly
	});
	const made = done.createdAt ? `made ${done.createdAt}` : 'a plain, unencrypted database file';
	const n = done.migrationsApplied;
	const migrations = n === 1 ? '1 newer migration' : `${n} newer migrations`;
	if (checkOnly) {
		console.log(
			`The backup "${file}" (${made}) can be restored: every check passed` +
				(n ? `, and ${migrations} would be applied.` : '.') +
				' Nothing was replaced.'
		);
	} else {
		console.log(
			`Restored "${file}" (${made}) to "${path}"` +
				(n ? `, with ${migrations} applied. ` : '. ') +
				(done.keptAside
					? `The database it replaced is kept at "${done.keptAside}": delete it once the restored service is checked.`
					: 'There was no database there before.')
		);
	}
} catch (error) {
	if (error instanceof DataKeyError || error instanceof BackupError) refuse(error.message);
	throw error;
}
