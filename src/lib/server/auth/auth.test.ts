import { generateSync } from 'otplib';
import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { withNewPassword } from './sign-in-form';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freshDatabase } from '$lib/server/db/testing';
import { auditLog, outbox, users } from '$lib/server/db/schema';
import { seal } from '$lib/server/crypto';
import { testCipher } from '$lib/server/testing/fixtures';
import { hashSecret } from './passwords';
import * as rateLimit from './rate-limit';
import * as sessions from './sessions';
import * as staff from './staff';

let db: ReturnType<typeof freshDatabase>['db'];
beforeEach(() => {
	({ db } = freshDatabase());
	testCipher();
});

const minutes = (n: number, from = new Date()) => new Date(from.getTime() + n * 60_000);

function user(role: 'person' | 'caseworker' | 'admin' = 'person', extra = {}) {
	return db
		.insert(users)
		.values({ role, ...extra })
		.returning()
		.get();
}

describe('sessions', () => {
	it('last 20 idle minutes for people and 60 for staff', () => {
		const start = new Date();
		const person = sessions.start(user('person').id, { now: start });
		const worker = sessions.start(user('caseworker').id, { now: start });
		expect(sessions.resume(person.sessionId, minutes(19, start))).not.toBeNull();
		expect(sessions.resume(person.sessionId, minutes(19 + 21, start))).toBeNull();
		expect(sessions.resume(worker.sessionId, minutes(59, start))).not.toBeNull();
		expect(sessions.resume(worker.sessionId, minutes(59 + 61, start))).toBeNull();
	});

	it('write the last-seen time at most every 30 seconds, and never outlive the idle limit', () => {
		const start = new Date();
		const { sessionId } = sessions.start(user('person').id, { now: start });
		const seconds = (s: number) => new Date(start.getTime() + s * 1000);
		// Clicks 20 s apart: the first is not written, so the idle limit still runs from the start.
		expect(sessions.resume(sessionId, seconds(20))?.expiresAt).toBe(minutes(20, start).getTime());
		// 40 s in, the stored time is stale enough to be written.
		expect(sessions.resume(sessionId, seconds(40))?.expiresAt).toBe(
			minutes(20, seconds(40)).getTime()
		);
		expect(sessions.resume(sessionId, minutes(20, seconds(39)))).not.toBeNull();
		expect(sessions.resume(sessionId, minutes(20 * 2 + 1, seconds(40)))).toBeNull();
	});

	it('end after 8 hours however busy', () => {
		const start = new Date();
		const { sessionId } = sessions.start(user('caseworker').id, { now: start });
		for (let m = 30; m < 8 * 60; m += 30) {
			expect(sessions.resume(sessionId, minutes(m, start))).not.toBeNull();
		}
		expect(sessions.resume(sessionId, minutes(8 * 60 + 1, start))).toBeNull();
	});

	it('exchange a grant once, and stop at once when ended or the user is locked', () => {
		const owner = user('person');
		const { sessionId, grant } = sessions.start(owner.id);
		expect(sessions.redeem(grant)).toEqual({ sessionId, userId: owner.id, role: 'person' });
		expect(sessions.redeem(grant)).toBeNull();
		const other = sessions.start(owner.id);
		sessions.end(sessionId);
		expect(sessions.resume(sessionId)).toBeNull();
		expect(sessions.resume(other.sessionId)).not.toBeNull();
		db.update(users).set({ lockedAt: new Date() }).where(eq(users.id, owner.id)).run();
		expect(sessions.resume(other.sessionId)).toBeNull();
	});
});

describe('rate limits', () => {
	it('lock the guesser for 15 minutes, whether or not the account exists, and only slow it elsewhere', () => {
		const now = new Date();
		const guesser = { account: 'NOBO-DY44', address: '203.0.113.9' };
		for (let i = 0; i < 4; i++) rateLimit.fail(guesser, now);
		expect(rateLimit.waitUntil(guesser, now)).toBeNull();
		rateLimit.fail(guesser, now);
		expect(rateLimit.waitUntil(guesser, now)).toEqual(minutes(15, now));
		expect(rateLimit.waitUntil(guesser, minutes(16, now))).toBeNull();
		// From another address the account is not locked: a try waits out a short back-off.
		const elsewhere = { account: 'NOBO-DY44', address: '198.51.100.1' };
		expect(rateLimit.waitUntil(elsewhere, now)).toEqual(
			new Date(now.getTime() + rateLimit.backoff.firstSeconds * 1000)
		);
		expect(rateLimit.waitUntil(elsewhere, minutes(1, now))).toBeNull();
	});
});

describe('staff second factor', () => {
	it('accepts a TOTP code once and counts a failure', async () => {
		const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
		const worker = user('caseworker', {
			email: 'w@onedoor.test',
			secretHash: await hashSecret('a long enough password'),
			totpSealed: seal(secret),
			recoveryHashes: [await hashSecret('spare-code')]
		});
		const signedIn = sessions.resume(
			sessions.start(worker.id, { secondFactorPending: true }).sessionId
		)!;
		expect(signedIn.secondFactorPending).toBe(true);
		const code = generateSync({ secret });
		expect(await staff.verifySecondFactor(signedIn, code, '127.0.0.1')).toBe('right');
		expect(await staff.verifySecondFactor(signedIn, code, '127.0.0.1')).toBe('wrong');
		expect(await staff.verifySecondFactor(signedIn, 'spare-code', '127.0.0.1')).toBe('right');
		expect(await staff.verifySecondFactor(signedIn, 'spare-code', '127.0.0.1')).toBe('wrong');
		const failures = db.select().from(auditLog).where(eq(auditLog.action, 'sign_in_failed')).all();
		expect(failures).toHaveLength(2);
	});

	it('spends a recovery code once, even when it is sent twice at once', async () => {
		const worker = user('caseworker', {
			email: 'twice@onedoor.test',
			secretHash: await hashSecret('a long enough password'),
			totpSealed: seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'),
			recoveryHashes: [await hashSecret('spare-code'), await hashSecret('other-code')]
		});
		const signedIn = sessions.resume(
			sessions.start(worker.id, { secondFactorPending: true }).sessionId
		)!;
		const both = await Promise.all([
			staff.verifySecondFactor(signedIn, 'spare-code', '127.0.0.1'),
			staff.verifySecondFactor(signedIn, 'spare-code', '127.0.0.1')
		]);
		expect(both.filter((answer) => answer === 'right')).toHaveLength(1);
		// The other code is still there, and the spent one is gone for good.
		expect(await staff.verifySecondFactor(signedIn, 'spare-code', '127.0.0.1')).toBe('wrong');
		expect(await staff.verifySecondFactor(signedIn, 'other-code', '127.0.0.1')).toBe('right');
	});

	it('never shows an enrolled secret again, to a password-only session or a wrong code', async () => {
		const worker = user('caseworker', {
			email: 'enrolling@onedoor.test',
			secretHash: await hashSecret('a long enough password')
		});
		const pending = sessions.resume(
			sessions.start(worker.id, { secondFactorPending: true }).sessionId
		)!;
		// Someone else who knew the first password opened the page first, in a session of theirs.
		const other = sessions.resume(
			sessions.start(worker.id, { secondFactorPending: true }).sessionId
		)!;
		const copied = await staff.enrolment(other);
		const own = 'a password of my own choosing';
		const first = await staff.enrolment(pending);
		expect(first?.secret).toMatch(/^[A-Z2-7]{32}$/);
		expect(first?.secret).not.toBe(copied?.secret);
		// Until enrolment finishes, the same secret is offered again (a reload must not change it).
		expect((await staff.enrolment(pending))?.secret).toBe(first?.secret);
		const checked = await staff.checkPassword(
			pending,
			'a long enough password',
			'127.0.0.1',
			'sign_in_failed'
		);
		if (!checked.ok) throw new Error('the given password was refused');
		const given = checked.hash;
		expect(await staff.confirmEnrolment(pending, '000000', own, given)).toBeNull();
		// A code from the copied secret enrols nothing in the worker's session.
		expect(
			await staff.confirmEnrolment(pending, generateSync({ secret: copied!.secret }), own, given)
		).toBeNull();
		const codes = await staff.confirmEnrolment(
			pending,
			generateSync({ secret: first!.secret }),
			own,
			given
		);
		expect(codes).toHaveLength(8);
		// The password they were given is theirs no more; the one they chose is.
		const isCurrent = async (password: string) =>
			(await staff.checkPassword(pending, password, '127.0.0.1', 'sign_in_failed')).ok;
		expect(await isCurrent('a long enough password')).toBe(false);
		expect(await isCurrent(own)).toBe(true);
		// The secret enrolled is the worker's: the copy makes no code that signs in.
		const signingIn = sessions.resume(
			sessions.start(worker.id, { secondFactorPending: true }).sessionId
		)!;
		const copiedCode = generateSync({ secret: copied!.secret });
		if (copiedCode !== generateSync({ secret: first!.secret })) {
			expect(await staff.verifySecondFactor(signingIn, copiedCode, '127.0.0.1')).toBe('wrong');
		}
		// Enrolled: a new password-only session gets nothing, and cannot enrol over the top.
		const later = sessions.resume(
			sessions.start(worker.id, { secondFactorPending: true }).sessionId
		)!;
		expect(await staff.enrolment(later)).toBeNull();
		expect(await staff.confirmEnrolment(later, '000000', own, given)).toBeNull();
		expect(staff.isEnrolled(worker.id)).toBe(true);
	});

	it('refuses a wrong password and a deactivated account the same way', async () => {
		const admin = user('admin');
		const worker = user('caseworker', {
			email: 'gone@onedoor.test',
			secretHash: await hashSecret('a long enough password')
		});
		expect(
			await staff.signInWithPassword('GONE@onedoor.test', 'a long enough password', '::1')
		).toMatchObject({ ok: true });
		const wrongPassword = await staff.signInWithPassword(
			'gone@onedoor.test',
			'not the password at all',
			'::1'
		);
		const actor = {
			sessionId: 'x',
			userId: admin.id,
			role: 'admin' as const,
			expiresAt: 0,
			secondFactorPending: false
		};
		expect(staff.setRole(actor, worker.id, 'supervisor')).toBe(true);
		expect(db.select().from(users).where(eq(users.id, worker.id)).get()?.role).toBe('supervisor');
		expect(staff.deactivate(actor, worker.id)).toBe(true);
		const actions = db
			.select()
			.from(auditLog)
			.all()
			.map((row) => row.action);
		expect(actions).toEqual(expect.arrayContaining(['role_changed', 'staff_deactivated']));
		const deactivated = await staff.signInWithPassword(
			'gone@onedoor.test',
			'a long enough password',
			'::1'
		);
		expect(wrongPassword).toEqual({ ok: false, reason: 'invalid' });
		expect(deactivated).toEqual(wrongPassword);
	});
});

describe('changing a work password', () => {
	const old = 'the password I have now';
	const next = 'a brand new password of mine';

	async function signedInWorker(role: 'caseworker' | 'admin' = 'caseworker') {
		const worker = user(role, {
			email: `${role}@onedoor.test`,
			secretHash: await hashSecret(old),
			totpSealed: seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'),
			recoveryHashes: [await hashSecret('spare-code')]
		});
		const here = sessions.resume(sessions.start(worker.id).sessionId)!;
		const elsewhere = sessions.start(worker.id).sessionId;
		return { worker, here, elsewhere };
	}
	const signsIn = async (email: string, password: string) =>
		(await staff.signInWithPassword(email, password, '10.0.0.9')).ok;
	const actions = (action: string) =>
		db.select().from(auditLog).where(eq(auditLog.action, action)).all();

	it('sets the new password, ends every other session and emails the work address', async () => {
		const { worker, here, elsewhere } = await signedInWorker();
		expect(await staff.changePassword(here, old, next, '127.0.0.1')).toEqual({ ok: true });

		expect(await signsIn(worker.email!, old)).toBe(false);
		expect(await signsIn(worker.email!, next)).toBe(true);
		// Whoever else knew the old password is signed out; the worker who changed it is not.
		expect(sessions.resume(elsewhere)).toBeNull();
		expect(sessions.resume(here.sessionId)?.userId).toBe(worker.id);
		expect(actions('password_changed')).toHaveLength(1);

		const [email] = db.select().from(outbox).where(eq(outbox.kind, 'password_changed')).all();
		expect(email?.payload?.to).toBe(worker.email);
		expect(email?.audience).toBe('staff');
		expect(email?.payload?.subject).toBe('Your OneDoor password was changed');
		expect(email?.payload?.text).toContain('staff console account was changed on');
		expect(email?.payload?.text).toContain('/staff/sign-in');
		expect(email?.payload?.text).not.toContain(next);
		expect(email?.payload?.text).not.toContain(old);
	});

	it('refuses a wrong current password, and changes nothing', async () => {
		const { worker, here, elsewhere } = await signedInWorker();
		expect(await staff.changePassword(here, 'not the password', next, '127.0.0.1')).toEqual({
			ok: false,
			reason: 'wrong'
		});
		expect(await signsIn(worker.email!, old)).toBe(true);
		expect(sessions.resume(elsewhere)?.userId).toBe(worker.id);
		expect(actions('password_changed')).toHaveLength(0);
		expect(actions('password_change_refused')).toHaveLength(1);
		expect(db.select().from(outbox).where(eq(outbox.kind, 'password_changed')).all()).toHaveLength(
			0
		);
	});

	it('refuses the password the worker has now as the new one', async () => {
		const { worker, here, elsewhere } = await signedInWorker();
		expect(await staff.changePassword(here, old, old, '127.0.0.1')).toEqual({
			ok: false,
			reason: 'same'
		});
		expect(sessions.resume(elsewhere)?.userId).toBe(worker.id);
		expect(actions('password_changed')).toHaveLength(0);
	});

	it('stops guessing after five wrong passwords, even the right one; a right one is not counted', async () => {
		const { here } = await signedInWorker();
		// A right password (refused as the same) takes its try back.
		expect((await staff.changePassword(here, old, old, '127.0.0.1')).ok).toBe(false);
		for (let i = 0; i < rateLimit.limits.guesser; i++) {
			const wrong = await staff.changePassword(here, `guess ${i}`, next, '127.0.0.1');
			expect(wrong).toEqual({ ok: false, reason: 'wrong' });
		}
		const locked = await staff.changePassword(here, old, next, '127.0.0.1');
		expect(locked.ok === false && locked.reason).toBe('lockedOut');
		expect(locked.ok === false && locked.reason === 'lockedOut' && locked.until > new Date()).toBe(
			true
		);
	});

	it('lets one of two changes sent at once win, and says the other current password is wrong', async () => {
		const { worker, here } = await signedInWorker();
		const both = await Promise.all([
			staff.changePassword(here, old, next, '127.0.0.1'),
			staff.changePassword(here, old, 'another new password too', '127.0.0.1')
		]);
		expect(both.filter((result) => result.ok)).toHaveLength(1);
		expect(both.filter((result) => !result.ok)).toEqual([{ ok: false, reason: 'wrong' }]);
		const winner = both[0]!.ok ? next : 'another new password too';
		expect(await signsIn(worker.email!, winner)).toBe(true);
		expect(actions('password_changed')).toHaveLength(1);
	});
});

describe('wrong codes after the right password', () => {
	it('email the worker once that someone knows their password, however the tries go on', async () => {
		const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
		const worker = user('caseworker', {
			email: 'known@onedoor.test',
			secretHash: await hashSecret('a long enough password'),
			totpSealed: seal(secret),
			recoveryHashes: []
		});
		const guesser = sessions.resume(
			sessions.start(worker.id, { secondFactorPending: true }).sessionId
		)!;
		const warnings = () =>
			db.select().from(outbox).where(eq(outbox.kind, 'second_factor_locked_out')).all();
		// A code no window near now accepts (the server allows one step either side).
		const valid = new Set(
			[-30, 0, 30].map((seconds) => generateSync({ secret, epoch: Date.now() / 1000 + seconds }))
		);
		const wrong = ['123456', '234567', '345678', '456789'].find((code) => !valid.has(code))!;
		for (let i = 0; i < rateLimit.limits.guesser - 1; i++) {
			expect(await staff.verifySecondFactor(guesser, wrong, '10.1.1.1')).toBe('wrong');
		}
		// Four wrong codes could be the worker's own fumbling: nothing is sent yet.
		expect(warnings()).toHaveLength(0);
		expect(await staff.verifySecondFactor(guesser, wrong, '10.1.1.1')).toBe('wrong');
		const [warning] = warnings();
		expect(warning?.payload?.to).toBe('known@onedoor.test');
		expect(warning?.payload?.subject).toBe('Someone tried to sign in to your OneDoor account');
		expect(warning?.payload?.text).toContain('/staff/password');
		expect(warning?.payload?.text).not.toContain(wrong);

		// Held back, and from another address: still one email within the hour.
		expect(await staff.verifySecondFactor(guesser, wrong, '10.1.1.1')).toBe('wrong');
		for (let i = 0; i < rateLimit.limits.guesser; i++) {
			await staff.verifySecondFactor(guesser, wrong, '10.1.1.2');
		}
		expect(warnings()).toHaveLength(1);
		const audited = db
			.select()
			.from(auditLog)
			.where(eq(auditLog.action, 'second_factor_locked_out'))
			.all();
		expect(audited).toHaveLength(1);
	});
});

describe('wrong codes in a row', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('switch the codes off at the limit, however slowly they come, until the sign-in is reset', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
		const worker = user('caseworker', {
			email: 'patient@onedoor.test',
			secretHash: await hashSecret('a long enough password'),
			totpSealed: seal(secret),
			recoveryHashes: []
		});
		const admin = user('admin', { email: 'admin@onedoor.test' });
		const guesser = sessions.resume(
			sessions.start(worker.id, { secondFactorPending: true }).sessionId
		)!;
		// Each try after every wait has lapsed, from addresses that change: only the count in a
		// row is left to stop them. (Not six digits, so no time step can make it right.)
		let address = 0;
		const guess = () => {
			vi.setSystemTime(minutes(rateLimit.windowMinutes + 1));
			return staff.verifySecondFactor(guesser, 'not-a-code', `10.9.0.${address++ % 200}`);
		};
		const right = () => {
			vi.setSystemTime(minutes(rateLimit.windowMinutes + 1));
			return staff.verifySecondFactor(guesser, generateSync({ secret }), '10.9.1.1');
		};
		const kinds = (kind: string) => db.select().from(outbox).where(eq(outbox.kind, kind)).all();
		for (let i = 0; i < rateLimit.secondFactorLimit - 1; i++) expect(await guess()).toBe('wrong');
		// The worker's own right code starts the count again.
		expect(await right()).toBe('right');
		for (let i = 0; i < rateLimit.secondFactorLimit - 1; i++) expect(await guess()).toBe('wrong');
		expect(staff.secondFactorLocked(worker.id)).toBe(false);
		expect(kinds('second_factor_disabled')).toEqual([]);

		expect(await guess()).toBe('locked');
		expect(staff.secondFactorLocked(worker.id)).toBe(true);
		// Now not even the right code works, and nothing more is counted or sent.
		expect(await right()).toBe('locked');
		expect(await guess()).toBe('locked');
		const [notice] = kinds('second_factor_disabled');
		expect(kinds('second_factor_disabled')).toHaveLength(1);
		expect(notice?.payload?.to).toBe('patient@onedoor.test');
		expect(notice?.payload?.subject).toBe('Codes no longer work for your OneDoor account');
		expect(notice?.payload?.text).toContain('Ask an admin to reset your sign-in');
		expect(
			db.select().from(auditLog).where(eq(auditLog.action, 'second_factor_disabled')).all()
		).toHaveLength(1);
		expect(staff.list().find((account) => account.id === worker.id)?.codesOff).toBe(true);

		// A reset sets the worker up again from the start: their codes count from none.
		expect(
			await staff.resetStaffSignIn(
				sessions.resume(sessions.start(admin.id).sessionId)!,
				worker.id,
				'a new first password'
			)
		).toBe(true);
		expect(staff.secondFactorLocked(worker.id)).toBe(false);
		expect(staff.list().find((account) => account.id === worker.id)?.codesOff).toBe(false);
	});
	it('let a right code still being checked in only if no wrong one switched the codes off meanwhile', async () => {
		const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
		const worker = user('caseworker', {
			email: 'racing@onedoor.test',
			secretHash: await hashSecret('a long enough password'),
			totpSealed: seal(secret),
			recoveryHashes: [await hashSecret('spare-code')],
			secondFactorFailures: rateLimit.secondFactorLimit - 2
		});
		const halfway = sessions.resume(
			sessions.start(worker.id, { secondFactorPending: true }).sessionId
		)!;
		const valid = new Set(
			[-30, 0, 30].map((seconds) => generateSync({ secret, epoch: Date.now() / 1000 + seconds }))
		);
		const wrong = ['123456', '234567', '345678', '456789'].find((code) => !valid.has(code))!;
		// The recovery code is checked by argon2 while the wrong code reaches the limit.
		const recovering = staff.verifySecondFactor(halfway, 'spare-code', '10.3.3.1');
		expect(await staff.verifySecondFactor(halfway, wrong, '10.3.3.2')).toBe('locked');
		expect(await recovering).toBe('locked');
		expect(staff.secondFactorLocked(worker.id)).toBe(true);
		expect(
			db.select().from(outbox).where(eq(outbox.kind, 'second_factor_disabled')).all()
		).toHaveLength(1);
	});

	it('let in a right code that was itself the last try before the limit', async () => {
		const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
		const worker = user('caseworker', {
			email: 'justintime@onedoor.test',
			secretHash: await hashSecret('a long enough password'),
			totpSealed: seal(secret),
			recoveryHashes: [],
			secondFactorFailures: rateLimit.secondFactorLimit - 1
		});
		const halfway = sessions.resume(
			sessions.start(worker.id, { secondFactorPending: true }).sessionId
		)!;
		expect(await staff.verifySecondFactor(halfway, generateSync({ secret }), '10.4.4.1')).toBe(
			'right'
		);
		expect(staff.secondFactorLocked(worker.id)).toBe(false);
		expect(db.select().from(users).where(eq(users.id, worker.id)).get()?.secondFactorFailures).toBe(
			0
		);
	});

	it('say nothing of codes switched off when a reset came while the last wrong one was checked', async () => {
		const worker = user('caseworker', {
			email: 'resetmeanwhile@onedoor.test',
			secretHash: await hashSecret('a long enough password'),
			totpSealed: seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'),
			recoveryHashes: [await hashSecret('spare-code')],
			secondFactorFailures: rateLimit.secondFactorLimit - 1
		});
		const halfway = sessions.resume(
			sessions.start(worker.id, { secondFactorPending: true }).sessionId
		)!;
		const guessing = staff.verifySecondFactor(halfway, 'not-the-code', '10.5.5.1');
		// What a reset does to the count, while argon2 checks the guess.
		db.update(users).set({ secondFactorFailures: 0 }).where(eq(users.id, worker.id)).run();
		expect(await guessing).toBe('wrong');
		expect(staff.secondFactorLocked(worker.id)).toBe(false);
		expect(db.select().from(outbox).where(eq(outbox.kind, 'second_factor_disabled')).all()).toEqual(
			[]
		);
	});

	it('do not count before the worker has enrolled: there are no codes to guess', async () => {
		const worker = user('caseworker', {
			email: 'notyet@onedoor.test',
			secretHash: await hashSecret('a long enough password')
		});
		const halfway = sessions.resume(
			sessions.start(worker.id, { secondFactorPending: true }).sessionId
		)!;
		expect(await staff.verifySecondFactor(halfway, '123456', '10.6.6.1')).toBe('wrong');
		expect(db.select().from(users).where(eq(users.id, worker.id)).get()?.secondFactorFailures).toBe(
			0
		);
	});
});

describe('wrong codes at a busy address', () => {
	it('do not warn a worker for failures that were not theirs', async () => {
		const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
		const worker = user('caseworker', {
			email: 'library@onedoor.test',
			secretHash: await hashSecret('a long enough password'),
			totpSealed: seal(secret),
			recoveryHashes: []
		});
		// A library's one address: other people's wrong passphrases fill most of its count.
		for (let i = 0; i < rateLimit.limits.address - 1; i++) {
			rateLimit.fail({ account: `someone-${i}`, address: '10.2.2.2' });
		}
		const halfway = sessions.resume(
			sessions.start(worker.id, { secondFactorPending: true }).sessionId
		)!;
		const valid = new Set(
			[-30, 0, 30].map((seconds) => generateSync({ secret, epoch: Date.now() / 1000 + seconds }))
		);
		const typo = ['123456', '234567', '345678', '456789'].find((code) => !valid.has(code))!;
		expect(await staff.verifySecondFactor(halfway, typo, '10.2.2.2')).toBe('wrong');
		expect(
			db.select().from(outbox).where(eq(outbox.kind, 'second_factor_locked_out')).all()
		).toEqual([]);
	});
});

describe('a new work password typed twice', () => {
	it('is refused beside the second field when the two differ, and when too short', () => {
		const form = withNewPassword({ code: v.string() }, 'weak');
		const differ = v.safeParse(form, {
			code: '1',
			password: 'twelve chars ok',
			confirm: 'twelve chars no'
		});
		expect(differ.success).toBe(false);
		expect(differ.issues?.map((issue) => [issue.path?.[0]?.key, issue.message])).toEqual([
			['confirm', 'staff.enrol.errors.confirm']
		]);
		const short = v.safeParse(form, { code: '1', password: 'short', confirm: 'short' });
		expect(short.issues?.map((issue) => issue.message)).toEqual(['weak']);
	});
});
