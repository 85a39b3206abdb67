// `npm run rekey`: re-seals every sealed value in the database under DATA_KEY, so the keys in
// DATA_KEYS_OLD can then be dropped. Run it with the same DATA_KEY, DATA_KEYS_OLD and
// DATABASE_PATH as the server; the server may keep running (new values already use DATA_KEY).
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { DataKeyError, loadCipher } from '../src/lib/server/crypto/cipher.js';
import { rekey, sealedKeyIds } from '../src/lib/server/crypto/rotation.js';
import { ChainBrokenError, chainKeys, resealChain } from '../src/lib/server/audit/hash-chain.js';

const path = process.env.DATABASE_PATH?.trim() || 'data/onedoor.db';

/** @param {string} sentence */
function refuse(sentence) {
	console.error(`OneDoor cannot re-key: ${sentence}`);
	process.exit(1);
}

if (!existsSync(path)) refuse(`there is no database at DATABASE_PATH "${path}".`);
try {
	const cipher = loadCipher(process.env, process.env.NODE_ENV === 'production');
	const sqlite = new Database(path, { fileMustExist: true });
	sqlite.pragma('busy_timeout = 5000');
	const resealed = rekey(sqlite, cipher);
	const left = [...sealedKeyIds(sqlite).keys()].filter((id) => id !== cipher.keyId);
	// The audit trail's MACs too, a page per short transaction (the server also does this as it
	// starts with the new key, so usually nothing is left).
	resealChain(sqlite, chainKeys(cipher));
	sqlite.close();
	if (left.length > 0) refuse(`values sealed with ${left.join(', ')} are still there.`);
	console.log(
		`Re-sealed ${resealed} value${resealed === 1 ? '' : 's'} under data key "${cipher.keyId}": every sealed value now uses DATA_KEY, so DATA_KEYS_OLD can be removed.`
	);
} catch (error) {
	if (error instanceof DataKeyError) refuse(error.message);
	if (error instanceof ChainBrokenError) {
		refuse(
			`${error.message}. The rows from there on keep their old seals, so keep the old key in DATA_KEYS_OLD (\`npm run audit:verify\` tells more).`
		);
	}
	throw error;
}
