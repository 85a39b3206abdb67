// Plain JavaScript so that the server and `npm run audit:verify` (scripts/audit-verify.js) seal and
// check the audit trail exactly alike.
import { createHash, createHmac } from 'node:crypto';

/*
 * The tamper-evident audit trail. Each audit row's `hash` is `<key id>:<digest>:<mac>`:
 * - `digest`, SHA-256 over the previous row's digest and this row's own fields (id, action,
 *   actor, role, case, subject, detail, time), so each digest stands for the whole trail up to
 *   its row, and changing, removing or inserting a row breaks the link at that row;
 * - `mac`, HMAC-SHA256 of that digest under a key derived (HKDF, its own label) from the data key.
 *
 * A MAC, not the bare digest alone: anyone who can edit the SQLite file could recompute a bare
 * hash for the row they changed and every row after it, and the chain would prove nothing. The
 * data key lives in the environment, not in the file, so only the server (or someone holding
 * DATA_KEY) can seal a row.
 *
 * Why two layers: the digests do not depend on any key, so when the data key rotates each row's
 * MAC is re-made on its own (`resealChain`), a page at a time, beside the running server, and a
 * run stopped half-way leaves every row valid under one key or the other. The verifier holds
 * every key the server holds (DATA_KEY and DATA_KEYS_OLD), found by the key id in each value.
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
 * The digest of one row after the one whose digest is `previous` (null at the very start).
 * @param {string | null} previous
 * @param {Omit<ChainRow, 'hash'>} row
 */
function digestOf(previous, row) {
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
	return createHash('sha256').update(fields).digest('base64url');
}

/** @param {Buffer} key @param {string} digest */
const macOf = (key, digest) => createHmac('sha256', key).update(digest).digest('base64url');

/**
 * A stored seal's parts, or null when it is not one this code makes.
 * @param {string} hash
 */
function parse(hash) {
	const [keyId, digest, mac, ...rest] = hash.split(':');
	return keyId && digest && mac && rest.length === 0 ? { keyId, digest, mac } : null;
}

/** The digest in a stored seal (the previous row's or the anchor's), if any. @param {string | null} hash */
const digestIn = (hash) => (hash === null ? null : (parse(hash)?.digest ?? null));

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
	const digest = digestOf(digestIn(previous), row);
	return `${keyId}:${digest}:${macOf(key, digest)}`;
}

/**
 * How a row stands against the digest before it: `ok`; `unsealed`; `malformed`; `unknownKey`;
 * `forged` (its MAC is not one the key made); or `mismatch` (an authentic seal, but not of this
 * row after that digest: its fields changed, or the row before it is not the one it followed).
 * @param {ChainKeys} keys
 * @param {string | null} previous the previous row's digest
 * @param {ChainRow} row
 */
function check(keys, previous, row) {
	if (row.hash === null) return { status: /** @type {const} */ ('unsealed') };
	const parts = parse(row.hash);
	if (!parts) return { status: /** @type {const} */ ('malformed') };
	const key = keys.keys.get(parts.keyId);
	if (!key) return { status: /** @type {const} */ ('unknownKey'), ...parts };
	if (macOf(key, parts.digest) !== parts.mac)
		return { status: /** @type {const} */ ('forged'), ...parts };
	if (digestOf(previous, row) !== parts.digest)
		return { status: /** @type {const} */ ('mismatch'), ...parts };
	return { status: /** @type {const} */ ('ok'), ...parts };
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
 * time from a cursor, so it needs little memory at any size. Returns the first broken link with
 * what is wrong there, in plain words.
 * @param {Sqlite} sqlite
 * @param {ChainKeys} keys
 * @returns {ChainReport}
 */
export function verifyChain(sqlite, keys) {
	const anchor = anchorOf(sqlite);
	const from = anchor ? `where retention left it, after row ${anchor.id}` : 'the first row';
	/** The row before (or the anchor): its id and digest. @type {{ id: number, digest: string | null } | null} */
	let previous = anchor ? { id: anchor.id, digest: digestIn(anchor.hash) } : null;
	let count = 0;
	const rows = /** @type {IterableIterator<ChainRow>} */ (
		sqlite.prepare(`select ${columns} from audit_log order by id`).iterate()
	);
	try {
		for (let next = rows.next(); !next.done;) {
			const row = next.value;
			next = rows.next();
			const found = check(keys, previous?.digest ?? null, row);
			if (found.status === 'ok') {
				previous = { id: row.id, digest: found.digest };
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
			const gap = previous ? row.id - previous.id - 1 : 0;
			const missing =
				gap === 1 ? `row ${row.id - 1} was` : `rows ${row.id - gap} to ${row.id - 1} were`;
			switch (found.status) {
				case 'unsealed':
					return broken(
						'it has no seal: it was added outside OneDoor, or rows from before the chain were never completed (the server completes them as it starts)'
					);
				case 'malformed':
					return broken('its seal is not one OneDoor makes: it was changed, or forged');
				case 'unknownKey':
					return broken(
						`it is sealed with data key "${found.keyId}", which is neither DATA_KEY nor in DATA_KEYS_OLD: run the check with that key in DATA_KEYS_OLD`
					);
				case 'forged': {
					// Put in between: the next row still follows the one before this.
					const after = next.done ? null : next.value;
					const skipped = after && check(keys, previous?.digest ?? null, after).status === 'ok';
					return broken(
						skipped
							? 'it was not written by OneDoor: it was inserted into the trail, and the next row still follows the one before it'
							: 'its seal was changed, or it was not written by OneDoor'
					);
				}
			}
			if (anchor && row.id <= anchor.id) {
				return broken(
					`it was inserted before the start of the trail: retention removed every row up to ${anchor.id}`
				);
			}
			if (previous && found.digest === previous.digest) {
				return broken(
					`it was not written by OneDoor: it carries a copy of row ${previous.id}'s seal`
				);
			}
			if (gap > 0) {
				return broken(
					previous?.id === anchor?.id
						? `the trail does not start where retention left it: ${missing} removed`
						: `${missing} removed: this row no longer follows row ${previous?.id}`
				);
			}
			if (!previous) {
				return broken('the rows before it were removed: it was not the first row of the trail');
			}
			return broken(
				previous.id === anchor?.id
					? 'it was changed after it was written, or it does not follow the last row retention removed'
					: 'it was changed after it was written: its fields no longer match its seal'
			);
		}
	} finally {
		rows.return?.();
	}
	return { ok: true, rows: count, from };
}

/** A link that cannot be sealed again without hiding what was done to it. */
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
 * Brings the whole trail under the chain and the current key, and returns how many rows it sealed:
 * first the rows written before the chain began (no hash), then `resealChain`. Run as the server
 * starts, before anything calls `record()`. Rows from before the chain are sealed in one write
 * transaction: each digest needs the one before, so a run stopped half-way could not tell rows it
 * had yet to seal from rows added later without one (which must never be sealed: that would hide
 * them). At 200,000 rows that is a few seconds, once, before the first request.
 * @param {Sqlite} sqlite
 * @param {ChainKeys} keys
 * @returns {number}
 */
export function completeChain(sqlite, keys) {
	const page = sqlite.prepare(
		`select ${columns} from audit_log where id > ? order by id limit 500`
	);
	const update = sqlite.prepare('update audit_log set hash = ? where id = ?');
	/** @type {ChainBrokenError | undefined} */
	let broken;
	let count = 0;
	sqlite
		.transaction(() => {
			const first = /** @type {ChainRow | undefined} */ (
				sqlite.prepare(`select ${columns} from audit_log order by id limit 1`).get()
			);
			if (!first || first.hash !== null) return;
			if (anchorOf(sqlite)) {
				broken = new ChainBrokenError(first, 'a row after the chain began has no seal');
				return;
			}
			let previous = null;
			for (let rows = /** @type {ChainRow[]} */ (page.all(first.id - 1)); rows.length > 0;) {
				for (const row of rows) {
					if (row.hash !== null) return;
					previous = seal(keys, previous, row);
					update.run(previous, row.id);
					count++;
				}
				rows = /** @type {ChainRow[]} */ (page.all(rows.at(-1)?.id));
			}
		})
		.immediate();
	if (broken) throw broken;
	return count + resealChain(sqlite, keys);
}

/**
 * Re-makes, under the current key, the MAC of every row sealed with a retired one, after checking
 * the row against its link (so a changed row is never re-sealed as if whole), a page of 500 per
 * short write transaction: the digests stay as they are, so a running server goes on appending
 * after them, and a run stopped half-way leaves a trail that verifies with both keys. Stops at the
 * first row without a seal or whose link does not hold, with a ChainBrokenError naming it (the
 * pages before stay re-sealed). Does nothing, after one pass over the seals, when every row is
 * under the current key. Returns how many rows it re-sealed.
 * @param {Sqlite} sqlite
 * @param {ChainKeys} keys
 * @returns {number}
 */
export function resealChain(sqlite, keys) {
	const start = firstToSeal(sqlite, keys);
	if (start === undefined) return 0;
	const before = /** @type {{ hash: string | null } | undefined} */ (
		sqlite.prepare('select hash from audit_log where id < ? order by id desc limit 1').get(start)
	);
	let previous = digestIn(before ? before.hash : (anchorOf(sqlite)?.hash ?? null));
	const page = sqlite.prepare(
		`select ${columns} from audit_log where id > ? order by id limit 500`
	);
	const update = sqlite.prepare('update audit_log set hash = ? where id = ?');
	const key = /** @type {Buffer} */ (keys.keys.get(keys.current));
	let after = start - 1;
	let count = 0;
	for (let more = true; more;) {
		sqlite
			.transaction(() => {
				const rows = /** @type {ChainRow[]} */ (page.all(after));
				more = rows.length > 0;
				for (const row of rows) {
					const found = check(keys, previous, row);
					if (found.status !== 'ok') {
						throw new ChainBrokenError(
							row,
							found.status === 'unsealed'
								? 'a row after the chain began has no seal'
								: found.status === 'unknownKey'
									? `it is sealed with data key "${found.keyId}", which is neither DATA_KEY nor in DATA_KEYS_OLD`
									: 'it does not follow the row before it'
						);
					}
					if (found.keyId !== keys.current) {
						update.run(`${keys.current}:${found.digest}:${macOf(key, found.digest)}`, row.id);
						count++;
					}
					previous = found.digest;
					after = row.id;
				}
			})
			.immediate();
	}
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
