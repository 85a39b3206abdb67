import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as people from '$lib/server/auth/people';
import * as cases from '$lib/server/cases';
import type { CaseRow } from '$lib/server/cases/access';
import { ConfigError } from '$lib/server/config';
import { createCipher, useCipher, type Cipher } from '$lib/server/crypto';
import { database, openDatabase, useDatabase, type Db } from '$lib/server/db';
import { auditLog, cases as casesTable } from '$lib/server/db/schema';
import { freshDatabase } from '$lib/server/db/testing';
import * as messages from '$lib/server/messages';
import * as referrals from '$lib/server/referrals';
import { saveSteps, staffMember, validSteps } from '$lib/server/testing/fixtures';
import { sentReferral } from '$lib/server/testing/partners';
import { restoreBackup, writeBackup } from './backup.js';
import { appendErasures, readErasures, useErasureLedger } from './erasure-ledger.js';
import { reconcileErasures } from './erasures';

const address = '203.0.113.9';
let live: Db;
let livePath: string;
let cipher: Cipher;
let keyBytes: Buffer;
let folder: string;
let ledger: string;
beforeEach(() => {
	({ db: live, path: livePath } = freshDatabase());
	keyBytes = randomBytes(32);
	cipher = useCipher(createCipher({ id: 'k1', key: keyBytes }));
	folder = mkdtempSync(join(tmpdir(), 'onedoor-erasures-'));
	ledger = join(folder, 'erasures.ledger');
	useErasureLedger({ path: ledger, cipher });
});
afterEach(() => {
	useErasureLedger(null);
});

const row = (id: string): CaseRow =>
	database().select().from(casesTable).where(eq(casesTable.id, id)).get()!;

/** A referral sent, and a message from the person: what an erasure must take away. */
async function referral(n: number) {
	const passphrase = `purple kettle river moon ${n}`;
	const token = await saveSteps(validSteps({ passphrase: { passphrase, confirm: passphrase } }));
	const sent = await referrals.submit(token);
	if (!sent.ok) throw new Error('the referral was refused');
	const personId = row(sent.caseId).personId;
	expect(messages.send(sent.caseId, 'person', personId, `Please call after six (${n}).`)).toEqual(
		expect.objectContaining({ ok: true })
	);
	return { id: sent.caseId, reference: sent.reference, passphrase };
}

/** What is left of a case in the current database that an erasure would have taken. */
function left(caseId: string) {
	const sqlite = database().$client;
	const c = row(caseId);
	return {
		status: c.status,
		outcome: c.outcome,
		anonymised: c.anonymisedAt !== null,
		erasedAt: c.erasedAt,
		held: c.legalHoldAt !== null,
		messages: sqlite.prepare('select count(*) from messages where case_id = ?').pluck().get(caseId),
		names: sqlite
			.prepare('select names_sealed from referrals where id = ?')
			.pluck()
			.get(c.referralId)
	};
}

async function signsIn(person: { reference: string; passphrase: string }) {
	return (await people.signIn(person.reference, person.passphrase, address)).ok;
}

describe('the erasure ledger', () => {
	it('a backup restored from before an erasure is erased again when the server starts', async () => {
		const supervisor = staffMember('supervisor', 'Jo');
		const erased = await referral(1);
		const kept = await referral(2);
		// Sent to an agency, which is told again of the erasure: its notice may have been lost too.
		live.$client.exec(
			"update partner_agencies set inbox_email = 'referrals@galop.example' where id = 'galop'"
		);
		sentReferral(erased.id, 'galop', 'Needs support after a burglary.');
		// In the backup, the case is open and on legal hold; the hold was lifted, then it was erased.
		expect(cases.lifecycle.setLegalHold(supervisor, row(erased.id), 'Police request')).toEqual({
			ok: true
		});
		const file = join(folder, 'before.backup');
		await writeBackup(live.$client, file, cipher);
		expect(cases.lifecycle.liftLegalHold(supervisor, row(erased.id), 'Police done')).toEqual({
			ok: true
		});
		expect(
			cases.lifecycle.erase(supervisor, row(erased.id), 'Asked by phone', 'support_declined')
		).toEqual({ ok: true });
		const erasedAt = row(erased.id).erasedAt;
		expect(erasedAt).toBeInstanceOf(Date);
		// The ledger names the case, when, and how it closed: nothing about the person.
		const text = readFileSync(ledger, 'utf8');
		expect(readErasures(ledger, cipher).erasures).toEqual([
			{ caseId: erased.id, erasedAt, outcome: 'support_declined' }
		]);
		expect(text).not.toContain(erased.reference);
		expect(text).not.toContain('Asked by phone');

		// The restore sees the erased case whole in the backup, and says so.
		const restoredPath = join(folder, 'restored', 'onedoor.db');
		const done = await restoreBackup(file, restoredPath, cipher, { erased: [erased.id] });
		expect(done.toErase).toBe(1);
		const restored = useDatabase(openDatabase(restoredPath));
		try {
			expect(left(erased.id)).toMatchObject({ anonymised: false, held: true, messages: 1 });
			expect(await signsIn(erased)).toBe(true);

			// What the server does as it starts, before it answers anyone.
			expect(reconcileErasures(ledger)).toEqual({
				reapplied: 1,
				added: 0,
				unreadable: 0,
				started: false
			});
			expect(left(erased.id)).toEqual({
				status: 'closed',
				outcome: 'support_declined',
				anonymised: true,
				erasedAt,
				held: false,
				messages: 0,
				names: null
			});
			expect(await signsIn(erased)).toBe(false);
			expect(
				restored.$client
					.prepare("select count(*) from outbox where kind = 'agency_erased'")
					.pluck()
					.get()
			).toBe(1);
			const trail = restored
				.select({ action: auditLog.action, actorId: auditLog.actorId, detail: auditLog.detail })
				.from(auditLog)
				.where(eq(auditLog.caseId, erased.id))
				.all()
				.at(-1);
			expect(trail).toEqual({
				action: 'case_erasure_reapplied',
				actorId: null,
				detail: `Erased on ${erasedAt!.toISOString()}; a restored backup still held it.`
			});
			// Everyone else is as the backup had them.
			expect(left(kept.id)).toMatchObject({ anonymised: false, messages: 1 });
			expect(await signsIn(kept)).toBe(true);
			// Once is enough: the next start finds nothing to do.
			expect(reconcileErasures(ledger)).toEqual({
				reapplied: 0,
				added: 0,
				unreadable: 0,
				started: false
			});
		} finally {
			restored.$client.close();
			useDatabase(live);
		}
	});

	it('adds at start-up an erasure the ledger missed (a crash after the commit)', async () => {
		const supervisor = staffMember('supervisor', 'Jo');
		const closedFirst = await referral(3);
		expect(cases.changes.close(supervisor, row(closedFirst.id), 'no_contact', true)).toEqual({
			ok: true
		});
		useErasureLedger(null);
		expect(cases.lifecycle.erase(supervisor, row(closedFirst.id), 'Asked', null)).toEqual({
			ok: true
		});
		expect(readErasures(ledger, cipher)).toEqual({
			erasures: [],
			unreadable: 0,
			untrusted: [],
			exists: false
		});

		// No ledger, and a database with cases: the server says it started one (hooks.server.ts warns).
		expect(reconcileErasures(ledger)).toEqual({
			reapplied: 0,
			added: 1,
			unreadable: 0,
			started: true
		});
		// A case closed before it was erased keeps the outcome it closed with.
		expect(readErasures(ledger, cipher)).toEqual({
			erasures: [
				{ caseId: closedFirst.id, erasedAt: row(closedFirst.id).erasedAt, outcome: 'no_contact' }
			],
			unreadable: 0,
			untrusted: [],
			exists: true
		});
	});

	it('migration 0019 marks the cases erased before it from the audit trail, not those retention anonymised', async () => {
		const supervisor = staffMember('supervisor', 'Jo');
		const erased = await referral(7);
		const expired = await referral(8);
		expect(cases.lifecycle.erase(supervisor, row(erased.id), 'Asked', 'other')).toEqual({
			ok: true
		});
		expect(cases.changes.close(supervisor, row(expired.id), 'support_completed', true)).toEqual({
			ok: true
		});
		expect(cases.lifecycle.anonymise(expired.id, new Date(Date.now() + 1000))).toEqual({
			ok: true
		});
		const erasedAt = row(erased.id).erasedAt;
		live.$client.exec('update cases set erased_at = null');
		const statements = readFileSync('drizzle/0019_erased_at.sql', 'utf8').split(
			'--> statement-breakpoint'
		);
		live.$client.exec(statements.at(-1)!);
		// The audit row's time: written in the same transaction, a moment after.
		const backfilled = row(erased.id).erasedAt!.getTime();
		expect(backfilled - erasedAt!.getTime()).toBeGreaterThanOrEqual(0);
		expect(backfilled - erasedAt!.getTime()).toBeLessThan(1000);
		expect(row(expired.id)).toMatchObject({ erasedAt: null });
		expect(row(expired.id).anonymisedAt).not.toBeNull();
	});

	it('skips a line cut short, and one not signed by the server: it wipes nobody', async () => {
		const supervisor = staffMember('supervisor', 'Jo');
		const person = await referral(4);
		const untouched = await referral(9);
		const erasedAt = new Date('2026-11-30T10:00:00Z');
		appendErasures(ledger, [{ caseId: person.id, erasedAt, outcome: 'other' }], cipher);
		const signed = JSON.parse(readFileSync(ledger, 'utf8').trim());
		// Lines someone added by hand: one unsigned, one with another case's signature, one under
		// a key the server does not hold (about a case the ledger names anyway: not reported), and
		// one cut short by a power cut.
		const forged = [
			{ case: untouched.id, erasedAt: erasedAt.toISOString(), outcome: 'other' },
			{ ...signed, case: untouched.id },
			{ ...signed, key: 'k0' }
		];
		appendFileSync(
			ledger,
			forged.map((line) => JSON.stringify(line)).join('\n') + '\n{"case":"0192'
		);
		expect(reconcileErasures(ledger)).toEqual({
			reapplied: 1,
			added: 0,
			unreadable: 3,
			started: false
		});
		expect(left(person.id)).toMatchObject({ status: 'closed', outcome: 'other', erasedAt });
		expect(left(untouched.id)).toMatchObject({ anonymised: false, messages: 1 });
		// An erasure made now goes on a line of its own, after the cut one.
		const next = await referral(5);
		expect(cases.lifecycle.erase(supervisor, row(next.id), 'Asked', 'other')).toEqual({
			ok: true
		});
		expect(readErasures(ledger, cipher).erasures.map((erasure) => erasure.caseId)).toEqual([
			person.id,
			next.id
		]);
	});

	it('after a key rotation, signs the erasures again under the new key, and reports nothing', async () => {
		const supervisor = staffMember('supervisor', 'Jo');
		const person = await referral(10);
		expect(cases.lifecycle.erase(supervisor, row(person.id), 'Asked', 'other')).toEqual({
			ok: true
		});
		// DATA_KEY rotated and `npm run rekey` done: the old key is no longer configured.
		const rotated = useCipher(createCipher({ id: 'k2', key: randomBytes(32) }));
		expect(readErasures(ledger, rotated)).toMatchObject({ erasures: [], untrusted: [person.id] });
		expect(reconcileErasures(ledger, rotated)).toEqual({
			reapplied: 0,
			added: 1,
			unreadable: 0,
			started: false
		});
		expect(readErasures(ledger, rotated).erasures.map((erasure) => erasure.caseId)).toEqual([
			person.id
		]);
		expect(reconcileErasures(ledger, rotated)).toMatchObject({ added: 0, unreadable: 0 });
	});

	it('makes a missing folder for the ledger, and stops start-up when it cannot be written', () => {
		// BACKUP_DIR on a fresh volume: the ledger's folder is made before the backups make it.
		const fresh = join(folder, 'backups not made yet', 'erasures.ledger');
		expect(reconcileErasures(fresh)).toMatchObject({ reapplied: 0, unreadable: 0 });
		expect(readFileSync(fresh, 'utf8')).toBe('');
		// A file where the folder should be.
		const file = join(folder, 'a-file');
		writeFileSync(file, '');
		const nowhere = join(file, 'erasures.ledger');
		expect(() => reconcileErasures(nowhere)).toThrow(ConfigError);
		expect(() => reconcileErasures(nowhere)).toThrow(/^ERASURE_LEDGER must be a file/);
	});
});

describe('npm run restore and the erasure ledger', () => {
	it('says how many cases in the backup were erased later, and warns when there is no ledger', async () => {
		const supervisor = staffMember('supervisor', 'Jo');
		const person = await referral(6);
		live.$client.close();
		const env = {
			...process.env,
			DATA_KEY: `k1:${keyBytes.toString('base64')}`,
			DATABASE_PATH: livePath,
			NODE_ENV: 'test',
			ERASURE_LEDGER: ledger
		};
		const file = join(folder, 'ops.backup');
		execFileSync('node', ['scripts/backup.js', file], { env, encoding: 'utf8' });
		useDatabase((live = openDatabase(livePath)));
		expect(cases.lifecycle.erase(supervisor, row(person.id), 'Asked', 'other')).toEqual({
			ok: true
		});
		live.$client.close();

		const checked = execFileSync('node', ['scripts/restore.js', '--check', file], {
			env,
			encoding: 'utf8'
		});
		expect(checked).toContain(
			`1 case in it was erased after it was made: the server erases it again as it starts, before it answers anyone (erasure ledger "${ledger}").`
		);
		const lost = spawnSync('node', ['scripts/restore.js', '--check', file], {
			env: { ...env, ERASURE_LEDGER: join(folder, 'lost.ledger') },
			encoding: 'utf8'
		});
		expect(lost.status).toBe(0);
		expect(lost.stderr).toContain('There is no erasure ledger at');
		expect(lost.stderr).toContain('cases erased after this backup was made are in it again');
		useDatabase((live = openDatabase(livePath)));
	});
});
