// What durable commits cost: committed single-row write transactions per second on a scratch
// SQLite file in WAL mode, with `synchronous = NORMAL` (a commit survives the process crashing,
// not the machine losing power) against `FULL` (the WAL is synced at every commit, so an
// acknowledged referral or message also survives a power cut). OneDoor runs with FULL
// (src/lib/server/db/index.ts); this measures what that choice costs on this machine's disk.
// Run alone with `node scripts/bench/durability.js [seconds]`; scripts/bench.js shows one row.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Commits one-row write transactions for `seconds` under the given synchronous setting.
 * @param {string} directory where the scratch file goes (the disk that matters is the database's)
 * @param {'NORMAL' | 'FULL'} synchronous
 * @param {number} seconds
 * @returns {number} transactions per second
 */
function commitsPerSecond(directory, synchronous, seconds) {
	const path = join(directory, `durability-${synchronous.toLowerCase()}.db`);
	const sqlite = new Database(path);
	try {
		sqlite.pragma('journal_mode = WAL');
		sqlite.pragma(`synchronous = ${synchronous}`);
		sqlite.exec('create table referral (id integer primary key, body text not null)');
		const insert = sqlite.prepare('insert into referral (body) values (?)');
		const write = sqlite.transaction((/** @type {string} */ body) => insert.run(body));
		// About the size of a referral's sealed account: the cost is the sync, not the bytes.
		const body = 'x'.repeat(600);
		const end = performance.now() + seconds * 1000;
		let done = 0;
		while (performance.now() < end) {
			write(body);
			done++;
		}
		return done / seconds;
	} finally {
		sqlite.close();
		rmSync(path, { force: true });
		rmSync(`${path}-wal`, { force: true });
		rmSync(`${path}-shm`, { force: true });
	}
}

/**
 * Commits/s with NORMAL and with FULL, each measured for `seconds`, on a scratch file in
 * `directory` (by default a new folder under the system's temporary directory).
 * @param {{ seconds?: number, directory?: string }} [options]
 * @returns {{ normal: number, full: number }}
 */
export function measureDurability({ seconds = 3, directory } = {}) {
	const scratch = directory ?? mkdtempSync(join(tmpdir(), 'onedoor-durability-'));
	try {
		return {
			normal: commitsPerSecond(scratch, 'NORMAL', seconds),
			full: commitsPerSecond(scratch, 'FULL', seconds)
		};
	} finally {
		if (!directory) rmSync(scratch, { recursive: true, force: true });
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const seconds = Number(process.argv[2] ?? 3);
	const { normal, full } = measureDurability({ seconds });
	console.log(
		`committed one-row transactions/s, WAL: NORMAL ${Math.round(normal)}/s, FULL ${Math.round(full)}/s (${(full / normal).toFixed(2)}×)`
	);
}
