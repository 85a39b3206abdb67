// Plain JavaScript so that the server and `npm run audit:verify` (scripts/audit-verify.js) seal and
// check the audit trail exactly alike.
import { createHmac } from 'node:crypto';

/*
 * The tamper-evident audit trail. Each audit row's `hash` is `<key id>:<hex>`, an HMAC-SHA256 over
 * the previous row's `hash` and this row's own fields, so changing, removing or inserting a row
 * breaks the link at that row.
 *
 * A MAC, not a bare SHA-256: anyone who can edit the SQLite file could recompute a bare hash for
 * every row after the one they changed, and the chain would prove nothing. The MAC key is derived
 * (HKDF, its own label) from the data key, which lives in the environment and not in the file, so
 * only the server (or someone holding DATA_KEY) can seal a row.
 *
 * The key id in each value lets the data key rotate: the verifier holds every key the server holds
 * (DATA_KEY and DATA_KEYS_OLD); `completeChain` re-seals rows under a retired key with the current
 * one as the server starts, checking each first, so the old key can later be dropped
 * (`npm run rekey` refuses to say so while a row still carries an old seal).
 */

/** @typedef {import('better-sqlite3').Database} Sqlite */
/** @typedef {import('../crypto/cipher.js').Cipher} Cipher */

/**
 * The MAC keys for the chain: the current key's id (new rows are sealed with it) and every key,
 * by id.
 * @typedef {{ current: string, keys: Map<string, Buffer> }} ChainKeys
 */

/**
 * The fields an audit row is sealed over, as SQLite stores them (`at` in milliseconds).
 * @typedef {object} ChainRow
 * @property {number} id
 * @property {string} action
 * @property {string | null} actor_id
 * @property {string | null} actor_role
 * @property {string | null} case_id
 * @property {string | null} subject_id
 * @property {string | null} detail
 * @property {number} at
 * @property {string | null} hash
 */

/**
 * The first broken link, in plain words; or how many rows were checked, and from which link.
 * @typedef {{ ok: true, rows: number, from: string } | { ok: false, id: number, at: Date | null, action: string | null, reason: string }} ChainReport
 */

const purpose = 'audit-chain';

/** The chain's MAC keys, derived from every data key the cipher holds. @param {Cipher} cipher @returns {ChainKeys} */
export function chainKeys(cipher) {
	return {
		current: cipher.keyId,
		keys: new Map(cipher.keyIds.map((id) => [id, cipher.derive(purpose, id)]))
	};
}

/**
 * The seal of one row after `previous` (the previous row's `hash`, or the anchor's, or null at the
 * very start), under the key with id `keyId`.
 * @param {ChainKeys} keys
 * @param {string | null} previous
 * @param {Omit<ChainRow, 'hash'>} row
 * @param {string} [keyId]
 * @returns {string}
 */
export function seal(keys, previous, row, keyId = keys.current) {
	const key = keys.keys.get(keyId);
	if (!key) throw new Error(`There is no audit chain key "${keyId}".`);
	// A JSON array: each field keeps its place and its own quoting, so no two rows (nor a null and
	// the text "null") encode alike, as plain concatenation could.
	const fields = JSON.stringify([
		previous,
		row.id,
		row.action,
		row.actor_id,
		row.actor_role,
		row.case_id,
		row.subject_id,
		row.detail,
		row.at
	]);
	return `${keyId}:${createHmac('sha256', key).update(fields).digest('hex')}`;
}

/** The key id a seal was made with. @param {string} hash */
const keyIdOf = (hash) => hash.slice(0, Math.max(0, hash.indexOf(':')));

/**
 * Whether `row` is sealed as following `previous`; false when its key is unknown.
 * @param {ChainKeys} keys
 * @param {string | null} previous
 * @param {ChainRow} row
 */
function follows(keys, previous, row) {
	if (row.hash === null) return false;
	const keyId = keyIdOf(row.hash);
	return keys.keys.has(keyId) && seal(keys, previous, row, keyId) === row.hash;
}

const columns = 'id, action, actor_id, actor_role, case_id, subject_id, detail, at, hash';

/**
 * Where the chain starts: the anchor retention left (the last removed row's id and hash), if any.
 * @param {Sqlite} sqlite
 * @returns {{ id: number, hash: string } | undefined}
 */
export function anchorOf(sqlite) {
	return /** @type {{ id: number, hash: string } | undefined} */ (
		sqlite.prepare('select through_id as id, hash from audit_chain_anchor where id = 1').get()
	);
}

/** @type {WeakMap<Sqlite, { last: import('better-sqlite3').Statement, anchor: import('better-sqlite3').Statement }>} */
const prepared = new WeakMap();

/**
 * The link a new row follows: the last row's id and hash, else the anchor's, else the start.
 * Reads one row at the primary key's end, so it costs the same at a million rows as at ten; the
 * statements are prepared once per connection, as this runs for every audit row.
 * @param {Sqlite} sqlite
 * @returns {{ id: number, hash: string | null }}
 */
export function lastLink(sqlite) {
	let statements = prepared.get(sqlite);
	if (!statements) {
		statements = {
			last: sqlite.prepare('select id, hash from audit_log order by id desc limit 1'),
			anchor: sqlite.prepare('select through_id as id, hash from audit_chain_anchor where id = 1')
		};
		prepared.set(sqlite, statements);
	}
	const link = /** @type {{ id: number, hash: string | null } | undefined} */ (
		statements.last.get() ?? statements.anchor.get()
	);
	return link ?? { id: 0, hash: null };
}

/** @param {number} at */
const when = (at) => (Number.isFinite(at) ? new Date(at) : null);

/**
 * Checks the whole trail from its start (the anchor, or the first row) in id order, one row at a
 * time from a cursor, so a million rows take a few seconds and little memory. Returns the first
 * broken link with what is wrong there, in plain words.
 * @param {Sqlite} sqlite
 * @param {ChainKeys} keys
 * @returns {ChainReport}
 */
export function verifyChain(sqlite, keys) {
	const anchor = anchorOf(sqlite);
	const from = anchor ? `where retention left it, after row ${anchor.id}` : 'the first row';
	/** @type {{ id: number, hash: string | null } | null} */
	let previous = anchor ?? null;
	let count = 0;
	const rows = /** @type {IterableIterator<ChainRow>} */ (
		sqlite.prepare(`select ${columns} from audit_log order by id`).iterate()
	);
	try {
		for (let next = rows.next(); !next.done;) {
			const row = next.value;
			next = rows.next();
			if (follows(keys, previous?.hash ?? null, row)) {
				previous = row;
				count++;
				continue;
			}
			const broken = (/** @type {string} */ reason) => ({
				ok: /** @type {const} */ (false),
				id: row.id,
				at: when(row.at),
				action: row.action,
				reason
			});
			if (row.hash === null) {
				return broken(
					'it has no seal: it was added outside OneDoor, or rows from before the chain were never completed (the server completes them as it starts)'
				);
			}
			const keyId = keyIdOf(row.hash);
			if (!keyId) return broken('its seal is not one OneDoor makes: it was changed, or forged');
			if (!keys.keys.has(keyId)) {
				return broken(
					`it is sealed with data key "${keyId}", which is neither DATA_KEY nor in DATA_KEYS_OLD: run the check with that key in DATA_KEYS_OLD`
				);
			}
			if (anchor && row.id <= anchor.id) {
				return broken(
					`it was inserted before the start of the trail: retention removed every row up to ${anchor.id}`
				);
			}
			// The row after this one tells what happened here: still sealed as following this row's
			// seal (so this row's fields changed, or rows before it went), or as following the row
			// before (so this row was put in between).
			const after = next.done ? null : next.value;
			const intact = after !== null && follows(keys, row.hash, after);
			const gap = previous ? row.id - previous.id - 1 : 0;
			if (gap > 0 && (intact || after === null)) {
				const missing =
					gap === 1 ? `row ${row.id - 1} was` : `rows ${row.id - gap} to ${row.id - 1} were`;
				return broken(
					previous === anchor
						? `the trail does not start where retention left it: ${missing} removed`
						: `${missing} removed: this row no longer follows row ${previous?.id}`
				);
			}
			if (after !== null && follows(keys, previous?.hash ?? null, after)) {
				return broken(
					'it was not written by OneDoor: it was inserted into the trail, and the next row still follows the one before it'
				);
			}
			if (!previous && intact) {
				return broken('the rows before it were removed: it was not the first row of the trail');
			}
			if (intact) {
				return broken(
					previous === anchor
						? 'it was changed after it was written, or it does not follow the last row retention removed'
						: 'it was changed after it was written: its fields no longer match its seal'
				);
			}
			return broken(
				'it was changed after it was written, seal and all, or it was not written by OneDoor'
			);
		}
	} finally {
		rows.return?.();
	}
	return { ok: true, rows: count, from };
}

/** A link that cannot be re-sealed without hiding what was done to it. */
export class ChainBrokenError extends Error {
	name = 'ChainBrokenError';
	/** @param {ChainRow} row @param {string} why */
	constructor(row, why) {
		super(`the audit trail's chain is broken at row ${row.id}: ${why}`);
		this.id = row.id;
	}
}

/**
 * The id of the first row the chain does not cover with the current key: a row written before the
 * chain began (no hash), or one sealed with a retired key. One pass over the seals.
 * @param {Sqlite} sqlite
 * @param {ChainKeys} keys
 * @returns {number | undefined}
 */
export function firstToSeal(sqlite, keys) {
	const prefix = `${keys.current}:`;
	return /** @type {number | undefined} */ (
		sqlite
			.prepare(
				'select id from audit_log where hash is null or substr(hash, 1, ?) <> ? order by id limit 1'
			)
			.pluck()
			.get(prefix.length, prefix)
	);
}

/**
 * Seals what the chain does not cover yet, in id order: rows written before the chain began (no
 * hash), and rows sealed with a retired key, which are re-sealed under the current one after
 * checking each against its old link, so re-sealing never hides a change. Once one row's seal
 * changes, every row after it is re-linked.
 *
 * One write transaction from start to end, because a row's seal covers its predecessor's: a run
 * stopped half-way (a crash, a kill) would leave the first row not re-sealed following a seal
 * that no longer exists, which would read as a break. It runs as the server starts, before any
 * request, so holding the write lock for those seconds keeps nobody waiting.
 *
 * At a link that does not hold it stops: the rows before it stay sealed, that row and the rest
 * keep their seals, and a ChainBrokenError names it. Returns how many rows it sealed.
 * @param {Sqlite} sqlite
 * @param {ChainKeys} keys
 * @returns {number}
 */
export function completeChain(sqlite, keys) {
	const prefix = `${keys.current}:`;
	const page = sqlite.prepare(
		`select ${columns} from audit_log where id > ? order by id limit 500`
	);
	const update = sqlite.prepare('update audit_log set hash = ? where id = ?');
	/** @type {ChainBrokenError | undefined} */
	let broken;
	let count = 0;
	sqlite
		.transaction(() => {
			const start = firstToSeal(sqlite, keys);
			if (start === undefined) return;
			const before = /** @type {{ id: number, hash: string | null } | undefined} */ (
				sqlite
					.prepare('select id, hash from audit_log where id < ? order by id desc limit 1')
					.get(start)
			);
			const anchor = anchorOf(sqlite);
			// Rows without a seal are from before the chain only while no sealed row precedes them.
			let chained = Boolean(before?.hash ?? anchor);
			// What the last row was sealed as following before this run (its stored hash), and after.
			let stored = before ? before.hash : (anchor?.hash ?? null);
			let sealed = stored;
			let after = start - 1;
			for (let rows = /** @type {ChainRow[]} */ (page.all(after)); rows.length > 0;) {
				for (const row of rows) {
					if (row.hash === null ? chained : !follows(keys, stored, row)) {
						broken = new ChainBrokenError(
							row,
							row.hash === null
								? 'a row after the chain began has no seal'
								: 'it does not follow the row before it'
						);
						return;
					}
					chained ||= row.hash !== null;
					const keep = sealed === stored && row.hash?.startsWith(prefix);
					const next = keep ? /** @type {string} */ (row.hash) : seal(keys, sealed, row);
					if (next !== row.hash) {
						update.run(next, row.id);
						count++;
					}
					stored = row.hash;
					sealed = next;
					after = row.id;
				}
				rows = /** @type {ChainRow[]} */ (page.all(after));
			}
		})
		.immediate();
	if (broken) throw broken;
	return count;
}

/**
 * Removes the oldest audit rows written before `before`: a run from the start of the trail, in
 * id order, stopping at the first row that is newer (or not sealed). Each batch is one short write
 * transaction that also moves the anchor to the last row removed, so the rows kept still verify.
 * Returns how many rows it removed.
 * @param {Sqlite} sqlite
 * @param {Date} before
 * @param {number} [batch]
 * @returns {number}
 */
export function pruneAudit(sqlite, before, batch = 1000) {
	const oldest = sqlite.prepare('select id, at, hash from audit_log order by id limit ?');
	const remove = sqlite.prepare('delete from audit_log where id <= ?');
	const anchor = sqlite.prepare(
		'insert into audit_chain_anchor (id, through_id, hash, at) values (1, ?, ?, ?) on conflict (id) do update set through_id = excluded.through_id, hash = excluded.hash, at = excluded.at'
	);
	const cutoff = before.getTime();
	let removed = 0;
	for (let full = true; full;) {
		full = sqlite
			.transaction(() => {
				const rows = /** @type {{ id: number, at: number, hash: string | null }[]} */ (
					oldest.all(batch)
				);
				let end = 0;
				while (
					end < rows.length &&
					rows[end]?.hash &&
					/** @type {number} */ (rows[end]?.at) < cutoff
				) {
					end++;
				}
				const last = rows[end - 1];
				if (!last?.hash) return false;
				remove.run(last.id);
				anchor.run(last.id, last.hash, Date.now());
				removed += end;
				return end === batch;
			})
			.immediate();
	}
	return removed;
}
