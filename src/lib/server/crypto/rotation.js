// Plain JavaScript so that the server's start-up check and `npm run rekey` (scripts/rekey.js)
// find sealed values the same way.
import { DataKeyError } from './cipher.js';

/** @typedef {import('./cipher.js').Cipher} Cipher */
/** @typedef {import('better-sqlite3').Database} Sqlite */

// `v1.<key id>.<12-byte iv>.<16-byte tag>.<body>`, base64url: the shape `Cipher.encrypt` writes.
const sealedShape =
	/^v1\.([A-Za-z0-9_-]{1,32})\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*$/;

/** @param {string} name */
const quoted = (name) => `"${name.replaceAll('"', '""')}"`;

/**
 * Every TEXT column of every table. Sealed values sit in the `*_sealed` columns and also inside
 * JSON columns (a note's text in `case_events.params`), so none is skipped by name.
 * @param {Sqlite} sqlite
 * @returns {{ table: string, column: string }[]}
 */
function textColumns(sqlite) {
	const tables = /** @type {string[]} */ (
		sqlite
			.prepare(
				"select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' and name not like '\\_\\_drizzle%' escape '\\'"
			)
			.pluck()
			.all()
	);
	return tables.flatMap((table) =>
		/** @type {{ name: string, type: string }[]} */ (
			sqlite.prepare(`pragma table_info(${quoted(table)})`).all()
		)
			.filter((column) => /TEXT/i.test(column.type))
			.map((column) => ({ table, column: column.name }))
	);
}

/**
 * Calls `visit` on each sealed value in a stored text (the whole text, or strings inside its
 * JSON) and returns the text with each replaced by what `visit` returned.
 * @param {string} text
 * @param {(sealed: string, keyId: string) => string} visit
 * @returns {string}
 */
function mapSealed(text, visit) {
	const whole = sealedShape.exec(text);
	if (whole) return visit(text, /** @type {string} */ (whole[1]));
	if (!/^\s*[[{]/.test(text)) return text;
	let changed = false;
	/** @param {unknown} value @returns {unknown} */
	const walk = (value) => {
		if (typeof value === 'string') {
			const match = sealedShape.exec(value);
			if (!match) return value;
			const next = visit(value, /** @type {string} */ (match[1]));
			if (next !== value) changed = true;
			return next;
		}
		if (Array.isArray(value)) return value.map(walk);
		if (value && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
		}
		return value;
	};
	let parsed;
	try {
		parsed = JSON.parse(text);
	} catch {
		return text;
	}
	const next = walk(parsed);
	return changed ? JSON.stringify(next) : text;
}

/**
 * Each stored text that holds a sealed value, with its table, column and rowid, a page at a time:
 * `page` runs once per page (a transaction around it, for re-sealing), so rows can be rewritten.
 * @param {Sqlite} sqlite
 * @param {(rows: () => { table: string, column: string, rowid: number, text: string }[]) => void} page
 */
function eachPage(sqlite, page) {
	for (const { table, column } of textColumns(sqlite)) {
		const select = sqlite.prepare(
			`select rowid, ${quoted(column)} as text from ${quoted(table)} where rowid > ? and ${quoted(column)} like '%v1.%' order by rowid limit 500`
		);
		let after = Number.MIN_SAFE_INTEGER;
		let more = true;
		while (more) {
			page(() => {
				const rows = /** @type {{ rowid: number, text: string }[]} */ (select.all(after));
				more = rows.length > 0;
				after = rows.at(-1)?.rowid ?? after;
				return rows.map((row) => ({ table, column, ...row }));
			});
		}
	}
}

/**
 * One stored value for each key id the database's sealed values use.
 * @param {Sqlite} sqlite
 * @returns {Map<string, string>}
 */
export function sealedKeyIds(sqlite) {
	/** @type {Map<string, string>} */
	const samples = new Map();
	eachPage(sqlite, (rows) => {
		for (const { text } of rows()) {
			mapSealed(text, (sealed, keyId) => {
				if (!samples.has(keyId)) samples.set(keyId, sealed);
				return sealed;
			});
		}
	});
	return samples;
}

/**
 * Refuses (a DataKeyError in one sentence) when a value in the database is sealed with a key the
 * cipher does not hold, or when the key given under that id does not open it: the server would
 * otherwise start and then fail on the first page that shows such a value.
 * @param {Sqlite} sqlite
 * @param {Cipher} cipher
 */
export function checkSealedKeys(sqlite, cipher) {
	for (const [keyId, sample] of sealedKeyIds(sqlite)) {
		if (!cipher.keyIds.includes(keyId)) {
			throw new DataKeyError(
				`Values in the database are sealed with data key "${keyId}", which is neither DATA_KEY nor in DATA_KEYS_OLD: add that key to DATA_KEYS_OLD (and run \`npm run rekey\` to re-seal them under DATA_KEY).`
			);
		}
		try {
			cipher.decrypt(sample);
		} catch {
			throw new DataKeyError(
				`The key given for id "${keyId}" (in DATA_KEY or DATA_KEYS_OLD) does not open the values sealed with data key "${keyId}": it is a different key under the same id.`
			);
		}
	}
}

/**
 * Re-seals every sealed value in the database under the cipher's current key, so the retired
 * keys can be dropped. Each page of rows is read and rewritten in one short write transaction, so
 * a running server (already sealing with the current key) waits a moment at most and never has a
 * change overwritten; every value stays readable throughout, so it is safe to run again.
 * Returns how many values were re-sealed.
 * @param {Sqlite} sqlite
 * @param {Cipher} cipher
 * @returns {number}
 */
export function rekey(sqlite, cipher) {
	checkSealedKeys(sqlite, cipher);
	let resealed = 0;
	eachPage(sqlite, (rows) =>
		sqlite
			.transaction(() => {
				for (const { table, column, rowid, text } of rows()) {
					const next = mapSealed(text, (sealed, keyId) => {
						if (keyId === cipher.keyId) return sealed;
						resealed++;
						return cipher.encrypt(cipher.decrypt(sealed));
					});
					if (next !== text) {
						sqlite
							.prepare(`update ${quoted(table)} set ${quoted(column)} = ? where rowid = ?`)
							.run(next, rowid);
					}
				}
			})
			.immediate()
	);
	return resealed;
}
