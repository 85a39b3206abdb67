// `npm run backup -- <file>`: copies the database with SQLite's online backup API (safe while the
// server runs) and writes it to <file> encrypted under DATA_KEY; <file> may be a folder, which
// then gets onedoor-<UTC time>.backup. Run it with the server's DATA_KEY and DATABASE_PATH.
// See the README's "Operations" section; `npm run restore` reads the file back.
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataKeyError, loadCipher } from '../src/lib/server/crypto/cipher.js';
import { BackupError, fileTime, writeBackup } from '../src/lib/server/lifecycle/backup.js';

const path = process.env.DATABASE_PATH?.trim() || 'data/onedoor.db';

/** @param {string} sentence */
function refuse(sentence) {
	console.error(`OneDoor cannot back up: ${sentence}`);
	process.exit(1);
}

const [given, ...extra] = process.argv.slice(2);
if (!given || extra.length > 0) refuse('name one backup file: `npm run backup -- <file>`.');
if (!existsSync(path)) refuse(`there is no database at DATABASE_PATH "${path}".`);
const now = new Date();
const file =
	existsSync(given) && statSync(given).isDirectory()
		? join(given, `onedoor-${fileTime(now)}.backup`)
		: given;
try {
	const cipher = loadCipher(process.env, process.env.NODE_ENV === 'production');
	const sqlite = new Database(path, { fileMustExist: true });
	sqlite.pragma('busy_timeout = 5000');
	const written = await writeBackup(sqlite, file, cipher, { now });
	sqlite.close();
	const size = (written.bytes / 1024 / 1024).toFixed(1);
	console.log(
		`Backed up "${path}" to "${file}" (${size} MB, encrypted with data key "${written.keyId}"). Check it with \`npm run restore -- --check ${file}\`.`
	);
} catch (error) {
	if (error instanceof DataKeyError || error instanceof BackupError) refuse(error.message);
	throw error;
}
