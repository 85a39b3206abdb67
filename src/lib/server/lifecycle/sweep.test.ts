import Database from 'better-sqlite3';
import { eq, inArray } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { sessions } from '$lib/server/auth';
import { seal } from '$lib/server/crypto';
import { freshDatabase } from '$lib/server/db/testing';
import {
	emailLinks,
	outbox,
	referralDrafts,
	sessions as sessionsTable,
	signInFailures,
	users
} from '$lib/server/db/schema';
import { testCipher } from '$lib/server/testing/fixtures';
import { sweepOnce } from './sweep';

let db: ReturnType<typeof freshDatabase>['db'];
beforeEach(() => {
	({ db } = freshDatabase());
	testCipher();
});

const now = new Date('2026-06-01T12:00:00Z');
const minutes = (n: number) => new Date(now.getTime() - n * 60_000);
const days = (n: number) => minutes(n * 24 * 60);
const settings = { closedCaseDays: 2192, auditDays: 2557, outboxDays: 7, sweepMinutes: 60 };

function user(role: 'person' | 'caseworker', extra: Partial<typeof users.$inferInsert> = {}) {
	return db
		.insert(users)
		.values({ role, nameSealed: seal('Sam'), ...extra })
		.returning()
		.get().id;
}

describe('the sweeper', () => {
	it('deletes exactly what can no longer be used, and keeps everything else', async () => {
		const person = user('person');
		const worker = user('caseworker', { email: 'amira@onedoor.test' });
		// Sessions: started at a time, last seen then (`start` sets both).
		const session = (userId: string, at: Date) => sessions.start(userId, { now: at }).sessionId;
		const live = {
			person: session(person, minutes(10)),
			worker: session(worker, minutes(45))
		};
		const dead = {
			personIdle: session(person, minutes(21)),
			workerIdle: session(worker, minutes(61)),
			revoked: session(worker, minutes(5))
		};
		sessions.end(dead.revoked, minutes(4));
		// Eight hours is the most any session lasts, however recently it was used.
		const tooOld = session(worker, minutes(9 * 60));
		// Used a minute ago (set here: a resume every hour for eight hours says no more).
		db.update(sessionsTable)
			.set({ lastSeenAt: minutes(1) })
			.where(eq(sessionsTable.createdAt, minutes(9 * 60)))
			.run();

		const link = (expiresAt: Date, usedAt: Date | null) =>
			db
				.insert(emailLinks)
				.values({
					userId: person,
					purpose: 'sign_in',
					tokenHash: crypto.randomUUID(),
					browserHash: 'b',
					expiresAt,
					usedAt
				})
				.returning()
				.get().id;
		const links = {
			live: link(minutes(-5), null),
			used: link(minutes(-5), minutes(2)),
			expired: link(minutes(1), null)
		};

		const notice = (status: 'pending' | 'sent' | 'failed', createdAt: Date) =>
			db
				.insert(outbox)
				.values({ kind: 'case_updated', audience: 'person', status, createdAt })
				.returning()
				.get().id;
		const notices = {
			sentRecently: notice('sent', days(6)),
			sentLongAgo: notice('sent', days(8)),
			gaveUpLongAgo: notice('failed', days(8)),
			// Never sent, however old: nothing acknowledged is lost.
			stillPending: notice('pending', days(30))
		};

		const draft = (expiresAt: Date) =>
			db
				.insert(referralDrafts)
				.values({ id: crypto.randomUUID(), updatedAt: minutes(61), expiresAt })
				.returning()
				.get().id;
		const drafts = { live: draft(minutes(-30)), expired: draft(minutes(1)) };

		const resetLive = user('person', { resetHash: 'h', resetExpiresAt: minutes(-60) });
		const resetOld = user('person', { resetHash: 'h', resetExpiresAt: minutes(1) });

		const failure = (at: Date) =>
			db.insert(signInFailures).values({ key: 'account:abcd-efgh', at }).returning().get().id;
		const failures = { recent: failure(minutes(14)), old: failure(minutes(16)) };

		expect(await sweepOnce(now, settings)).toEqual({
			sessions: 4,
			emailLinks: 2,
			outbox: 2,
			drafts: 1,
			resetCodes: 1,
			signInFailures: 1,
			anonymised: 0,
			// Every audit row here is minutes old (audit/chain.test.ts prunes old ones).
			auditRows: 0,
			plannerStatistics: 0
		});

		const left = <T extends { id: string | number }>(rows: T[]) => rows.map((r) => r.id).sort();
		expect(sessions.resume(live.person, now)).toMatchObject({ userId: person });
		expect(sessions.resume(live.worker, now)).toMatchObject({ userId: worker });
		for (const gone of [...Object.values(dead), tooOld]) {
			expect(sessions.resume(gone, now)).toBeNull();
		}
		expect(
			db
				.select({ id: sessionsTable.idHash })
				.from(sessionsTable)
				.all()
				.map((r) => r.id)
		).toHaveLength(2);
		expect(left(db.select({ id: emailLinks.id }).from(emailLinks).all())).toEqual([links.live]);
		expect(
			left(
				db
					.select({ id: outbox.id })
					.from(outbox)
					.where(inArray(outbox.id, Object.values(notices)))
					.all()
			)
		).toEqual([notices.sentRecently, notices.stillPending].sort());
		expect(
			left(
				db
					.select({ id: referralDrafts.id })
					.from(referralDrafts)
					.where(inArray(referralDrafts.id, Object.values(drafts)))
					.all()
			)
		).toEqual([drafts.live]);
		const resets = db
			.select({ id: users.id, resetHash: users.resetHash })
			.from(users)
			.where(inArray(users.id, [resetLive, resetOld]))
			.all();
		expect(resets.find((r) => r.id === resetLive)?.resetHash).toBe('h');
		expect(resets.find((r) => r.id === resetOld)?.resetHash).toBeNull();
		expect(
			left(
				db
					.select({ id: signInFailures.id })
					.from(signInFailures)
					.where(inArray(signInFailures.id, Object.values(failures)))
					.all()
			)
		).toEqual([failures.recent]);

		// A second sweep finds nothing more.
		expect(Object.values(await sweepOnce(now, settings)).every((n) => n === 0)).toBe(true);
	});

	it('fails each sweep at once while a script holds the database, and sweeps next turn', async () => {
		const old = db
			.insert(signInFailures)
			.values({ key: 'account:abcd-efgh', at: minutes(16) })
			.returning()
			.get().id;
		const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		// Another writer (a script re-sealing the data, say) holds SQLite's write lock. Waiting
		// for it would hold the server's one thread, every page with it, for seconds a sweep.
		const script = new Database(db.$client.name);
		script.exec('begin immediate');
		try {
			const counts = await sweepOnce(now, settings);
			expect(counts.signInFailures).toBe(-1);
			expect(logged).toHaveBeenCalledWith(
				'sweep signInFailures failed:',
				expect.stringMatching(/locked/)
			);
			// The server's own requests still wait for a lock as before.
			expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
		} finally {
			script.exec('rollback');
			script.close();
			logged.mockRestore();
		}
		expect((await sweepOnce(now, settings)).signInFailures).toBe(1);
		const kept = db.select().from(signInFailures).where(eq(signInFailures.id, old)).get();
		expect(kept).toBeUndefined();
	});
});
