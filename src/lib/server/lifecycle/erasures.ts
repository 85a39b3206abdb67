import { and, inArray, isNotNull, isNull } from 'drizzle-orm';
import { replayErasure } from '$lib/server/cases/lifecycle';
import { ConfigError } from '$lib/server/config';
import { cipher, type Cipher } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { cases } from '$lib/server/db/schema';
import { appendErasures, readErasures } from './erasure-ledger.js';

// Erasures survive a restore (UK GDPR Article 17): each is written to the erasure ledger
// (erasure-ledger.js) once it commits, and the server, as it starts, erases again every case the
// ledger names that its database still holds whole, then adds to the ledger any erasure the
// database has that the ledger lacks (one committed just before a crash, or a ledger started
// afresh). So a backup restored from before an erasure never serves the person's details.

/** What the start-up reconciliation did. */
export interface Reconciled {
	/** Cases the ledger says were erased, found whole in the database, and erased again. */
	reapplied: number;
	/** Erasures in the database that the ledger lacked, now added to it. */
	added: number;
	/**
	 * Ledger lines that could not be read or trusted (one cut short by a power cut; more is damage,
	 * a line signed under a retired key no longer configured, or one not written by the server).
	 */
	unreadable: number;
	/**
	 * There was no ledger, though the database holds cases: the first start of a version with the
	 * ledger, or the ledger was lost (and a restored database may hold people erased since).
	 */
	started: boolean;
}

/**
 * Brings the database and the erasure ledger at `path` into line, before the server answers
 * anyone: erases again what the ledger names and the database still holds, then adds what the
 * database erased and the ledger lacks. A ledger that cannot be read or written stops start-up
 * with one sentence naming ERASURE_LEDGER: serving a restored database without it could bring
 * erased people back.
 */
export function reconcileErasures(path: string, active: Cipher = cipher()): Reconciled {
	const db = database();
	const refuse = (error: unknown, what: string) => {
		const reason = error instanceof Error ? error.message : String(error);
		return new ConfigError(
			`ERASURE_LEDGER must be a file the server can ${what}, but "${path}" is not (${reason}).`
		);
	};
	let read: ReturnType<typeof readErasures>;
	try {
		read = readErasures(path, active);
	} catch (error) {
		throw refuse(error, 'read and write');
	}
	let reapplied = 0;
	for (let i = 0; i < read.erasures.length; i += 500) {
		const batch = read.erasures.slice(i, i + 500);
		const whole = new Set(
			db
				.select({ id: cases.id })
				.from(cases)
				.where(
					and(
						inArray(
							cases.id,
							batch.map((erasure) => erasure.caseId)
						),
						isNull(cases.anonymisedAt)
					)
				)
				.all()
				.map((row) => row.id)
		);
		for (const erasure of batch) {
			if (whole.has(erasure.caseId) && replayErasure(erasure).ok) reapplied++;
		}
	}
	const known = new Set(read.erasures.map((erasure) => erasure.caseId));
	const erasedHere = db
		.select({ caseId: cases.id, erasedAt: cases.erasedAt, outcome: cases.outcome })
		.from(cases)
		.where(isNotNull(cases.erasedAt))
		.all();
	const missing = erasedHere
		.filter((row) => !known.has(row.caseId))
		.map((row) => ({
			caseId: row.caseId,
			erasedAt: row.erasedAt ?? new Date(),
			outcome: row.outcome ?? 'other'
		}));
	try {
		appendErasures(path, missing, active);
	} catch (error) {
		throw refuse(error, 'write');
	}
	const started = !read.exists && Boolean(db.select({ id: cases.id }).from(cases).limit(1).get());
	// A line no longer trusted about a case this database erased too says nothing new: after a key
	// rotation the database's erasures are signed again under the new key (above), and the old
	// lines need not be reported at every start.
	const settled = new Set([...known, ...erasedHere.map((row) => row.caseId)]);
	const untrusted = read.untrusted.filter((caseId) => !settled.has(caseId)).length;
	return { reapplied, added: missing.length, unreadable: read.unreadable + untrusted, started };
}
