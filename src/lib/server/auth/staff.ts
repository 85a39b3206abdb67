import type { Cookies } from '@sveltejs/kit';
import { createHmac, randomBytes } from 'node:crypto';
import { and, eq, gt, inArray, isNotNull, isNull, lt, lte, ne, sql, type SQL } from 'drizzle-orm';
import { generateURI, ScureBase32Plugin, verifySync } from 'otplib';
import QRCode from 'qrcode';
import * as audit from '$lib/server/audit';
import { config } from '$lib/server/config';
import { derivedKey, open, seal } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { auditLog, partnerAgencies, users } from '$lib/server/db/schema';
import { fixedT } from '$lib/server/i18n';
import * as outbox from '$lib/server/notify/outbox';
import { hashSecret, verifySecret } from './passwords';
import * as devices from './devices';
import * as rateLimit from './rate-limit';
import * as sessions from './sessions';
import { workPasswordMinLength } from './sign-in-form';
import type { Role, SignedIn } from './sessions';

const base32 = new ScureBase32Plugin();
const { secondFactorLimit } = rateLimit;

export type StaffRole = Exclude<Role, 'person' | 'partner'>;
export const staffRoles: StaffRole[] = ['caseworker', 'supervisor', 'admin'];
/** A work password's shortest length (sign-in-form.ts). */
export const passwordMinLength = workPasswordMinLength;

type Staff = typeof users.$inferSelect;

/**
 * Who signs in with a work email, a password and a second factor: our staff at /staff, partner
 * agencies' workers at /partner. One implementation serves both; each door finds only its own.
 */
export type Door = 'staff' | 'partner';
const rolesAt: Record<Door, Role[]> = { staff: staffRoles, partner: ['partner'] };

/** One of our own staff (never a partner worker or a person): the admin's page changes only these. */
function staffById(id: string): Staff | undefined {
	return database()
		.select()
		.from(users)
		.where(and(eq(users.id, id), inArray(users.role, staffRoles)))
		.get();
}

/** A staff member or partner worker: anyone with a password and a second factor. */
function workerById(id: string): Staff | undefined {
	return database()
		.select()
		.from(users)
		.where(and(eq(users.id, id), ne(users.role, 'person')))
		.get();
}

export type PasswordResult =
	| { ok: true; grant: string }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'lockedOut'; until: Date };

/**
 * First factor: work email and password. Starts a session that still needs the second factor.
 * Like people's sign-in, wrong guesses lock the guesser, not the staff member (see rate-limit.ts).
 * `door` says which accounts may sign in here: a partner worker's password opens nothing at
 * /staff/sign-in, and a staff member's nothing at /partner/sign-in.
 */
export async function signInWithPassword(
	email: string,
	password: string,
	address: string,
	cookies?: Cookies,
	door: Door = 'staff'
): Promise<PasswordResult> {
	const account = email.trim().toLowerCase();
	const attempt = {
		account,
		address,
		device: cookies ? devices.trusted(cookies, account) : null
	};
	const tried = rateLimit.begin(attempt);
	if ('until' in tried) {
		audit.record('sign_in_locked_out', null);
		return { ok: false, reason: 'lockedOut', until: tried.until };
	}
	const found = database()
		.select({ staff: users, agencyActive: partnerAgencies.active })
		.from(users)
		.leftJoin(partnerAgencies, eq(partnerAgencies.id, users.agencyId))
		.where(and(eq(users.email, account), inArray(users.role, rolesAt[door])))
		.get();
	const staff = found?.staff;
	const matches = await verifySecret(staff?.secretHash, password);
	// A partner worker belongs to one agency, and works only while it is on the list; refused
	// like a wrong password, so the refusal says nothing of the account or its agency.
	const usable =
		staff && !staff.deactivatedAt && (door === 'staff' || found?.agencyActive === true);
	if (!staff || !matches || !usable) {
		audit.record('sign_in_failed', null, { subjectId: staff?.id });
		return { ok: false, reason: 'invalid' };
	}
	// The password was checked against the hash read before argon2 ran, milliseconds ago: the
	// session starts only if that is still the account's password, so a sign-in under way while
	// the worker changed it (or a manager reset it) cannot outlive the change.
	const grant = database().transaction((tx) => {
		const still = tx
			.select({ id: users.id })
			.from(users)
			.where(
				and(
					eq(users.id, staff.id),
					eq(users.secretHash, staff.secretHash!),
					isNull(users.deactivatedAt)
				)
			)
			.get();
		return still ? sessions.start(staff.id, { secondFactorPending: true }).grant : null;
	});
	if (!grant) {
		audit.record('sign_in_failed', null, { subjectId: staff.id });
		return { ok: false, reason: 'invalid' };
	}
	tried.right();
	rateLimit.succeed(attempt);
	if (cookies) devices.remember(cookies, account, attempt.device);
	return { ok: true, grant };
}

/** True once the staff member has finished TOTP enrolment. */
export function isEnrolled(userId: string): boolean {
	return Boolean(workerById(userId)?.recoveryHashes);
}

/**
 * The secret offered for enrolment in this session: the same on every reload (a phone that
 * reloads the tab after the authenticator app was opened must show the secret just scanned), and
 * another in any other session. It is stored only once a code from it is confirmed, so whoever
 * else knew the first password (the admin who set it, say) and opened the enrolment page first
 * holds a secret that never comes to work.
 */
function enrolmentSecret(user: SignedIn): string {
	const mac = createHmac('sha256', derivedKey('totp-enrolment'))
		.update(`${user.userId}\n${user.sessionId}`)
		.digest();
	return base32.encode(mac.subarray(0, 20));
}

/**
 * The enrolment QR code (an SVG drawn on the server) and the secret to type in by hand, or null
 * once enrolment is finished: an enrolled secret is never shown again, or a password alone would
 * be enough to mint second-factor codes.
 */
export async function enrolment(user: SignedIn): Promise<{ svg: string; secret: string } | null> {
	const staff = workerById(user.userId);
	if (!staff) throw new Error('not a staff member');
	if (staff.recoveryHashes) return null;
	const secret = enrolmentSecret(user);
	const uri = generateURI({ issuer: config().serviceName, label: staff.email ?? staff.id, secret });
	const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
	return { svg, secret };
}

/**
 * Accepts a TOTP code once: a code already used (or an older one) is refused. Checked against
 * the worker's enrolled secret, or the one being enrolled.
 */
function acceptCode(
	staff: Staff,
	code: string,
	secret = staff.totpSealed ? open(staff.totpSealed) : null
): boolean {
	if (!secret || !/^\d{6}$/.test(code)) return false;
	const result = verifySync({ secret, token: code, epochTolerance: 30 });
	if (!result.valid || !('timeStep' in result)) return false;
	if (staff.totpLastStep !== null && result.timeStep <= staff.totpLastStep) return false;
	database()
		.update(users)
		.set({ totpLastStep: result.timeStep })
		.where(eq(users.id, staff.id))
		.run();
	return true;
}

const recoveryCode = () =>
	randomBytes(8)
		.toString('hex')
		.replace(/(.{4})(?=.)/g, '$1-');

export type PasswordCheck =
	| { ok: true; hash: string }
	| { ok: false; reason: 'wrong' }
	| { ok: false; reason: 'lockedOut'; until: Date };

/**
 * Checks a signed-in worker's password as it is now (at enrolment, the one they were given; on
 * "change your password", their current one), counted like sign-in tries from this address: a
 * colleague at an unlocked screen, or someone in through an organisation account, must not be
 * able to guess it. Answers the hash it matched, for the change that follows to be made only over
 * that same password (a manager's reset in between wins).
 */
export async function checkPassword(
	user: SignedIn,
	password: string,
	address: string,
	refusedAs: 'password_change_refused' | 'sign_in_failed'
): Promise<PasswordCheck> {
	const tried = rateLimit.begin({ account: `password-check:${user.userId}`, address });
	if ('until' in tried) return { ok: false, reason: 'lockedOut', until: tried.until };
	const hash = workerById(user.userId)?.secretHash;
	if (!hash || !(await verifySecret(hash, password))) {
		audit.record(refusedAs, { id: user.userId, role: user.role }, { subjectId: user.userId });
		return { ok: false, reason: 'wrong' };
	}
	tried.right();
	return { ok: true, hash };
}

/**
 * Finishes enrolment with a first code and the worker's own password, which replaces the one they
 * were given; returns the recovery codes, shown this once only.
 */
export async function confirmEnrolment(
	user: SignedIn,
	code: string,
	password: string,
	given: string
): Promise<string[] | null> {
	const staff = workerById(user.userId);
	// `given` is the hash the first password was checked against (`checkPassword`).
	if (!staff || staff.recoveryHashes || staff.secretHash !== given) return null;
	const secret = enrolmentSecret(user);
	if (!acceptCode(staff, code.trim(), secret)) return null;
	const codes = Array.from({ length: 8 }, recoveryCode);
	const [secretHash, ...hashes] = await Promise.all([password, ...codes].map((c) => hashSecret(c)));
	// Only over the account as it was read: a manager's reset while the hashes were made (a new
	// first password) must not be undone by this enrolment.
	const enrolled = database()
		.update(users)
		.set({ secretHash, totpSealed: seal(secret), recoveryHashes: hashes, secondFactorFailures: 0 })
		.where(and(eq(users.id, staff.id), isNull(users.recoveryHashes), eq(users.secretHash, given)))
		.run();
	if (enrolled.changes !== 1) return null;
	audit.record('second_factor_enrolled', { id: user.userId, role: user.role });
	return codes;
}

export type PasswordChange =
	| { ok: true }
	| { ok: false; reason: 'wrong' | 'same' }
	| { ok: false; reason: 'lockedOut'; until: Date };

/**
 * Changes a signed-in worker's password: the current one first, counted like a sign-in's tries
 * (a colleague at an unlocked screen must not be able to guess it), then the new one, which must
 * differ. Every other session the worker has ends, whoever else knew the old password is signed
 * out, and an email to their work address says it happened (ASVS 5.0 V6.3.7), so a change they
 * did not make does not go unnoticed.
 */
export async function changePassword(
	user: SignedIn,
	current: string,
	next: string,
	address: string
): Promise<PasswordChange> {
	const checked = await checkPassword(user, current, address, 'password_change_refused');
	if (!checked.ok) return checked;
	if (next === current) return { ok: false, reason: 'same' };
	const secretHash = await hashSecret(next);
	const now = new Date();
	const worker = workerById(user.userId);
	const changed = database().transaction((tx) => {
		// Only over the password just checked: of two changes sent at once, one wins, and the
		// other is told its current password is no longer right.
		if (!worker) return false;
		const updated = tx
			.update(users)
			.set({ secretHash })
			.where(and(eq(users.id, worker.id), eq(users.secretHash, checked.hash)))
			.run();
		if (updated.changes !== 1) return false;
		sessions.endOthers(worker.id, user.sessionId, now);
		audit.record(
			'password_changed',
			{ id: user.userId, role: user.role },
			{ subjectId: worker.id },
			tx
		);
		if (worker.email) {
			outbox.enqueue(
				'password_changed',
				null,
				{ channel: 'email', to: worker.email, ...accountNotice('changed', user.role, now) },
				tx,
				'staff'
			);
		}
		return true;
	});
	return changed ? { ok: true } : { ok: false, reason: 'wrong' };
}

/**
 * Sets a worker up again as when they were added: a first password their manager gives them, and
 * no second factor, so at their next sign-in they set up their authenticator app again and choose
 * a password of their own (the one given stops working then). For a worker who forgot their
 * password or lost their phone: work accounts have no emailed reset. `among` says whose accounts
 * the manager may reset (our staff, or one agency's workers); never their own, never one
 * deactivated. Every session the worker has ends, and their work address is told.
 */
export async function resetSignIn(
	manager: { userId: string; role: string },
	userId: string,
	password: string,
	among: SQL,
	/** Kept in the audit row: for a partner worker, their agency. */
	detail?: string
): Promise<boolean> {
	if (userId === manager.userId || userId.length > 64) return false;
	const secretHash = await hashSecret(password);
	const now = new Date();
	return database().transaction((tx) => {
		const reset = tx
			.update(users)
			.set({
				secretHash,
				totpSealed: null,
				totpLastStep: null,
				recoveryHashes: null,
				secondFactorFailures: 0
			})
			.where(and(eq(users.id, userId), among, isNull(users.deactivatedAt)))
			.returning({ email: users.email, role: users.role })
			.get();
		if (!reset) return false;
		sessions.endAll(userId, now);
		rateLimit.forgetAccounts([...(reset.email ? [reset.email] : []), `password-check:${userId}`]);
		audit.record(
			'sign_in_reset',
			{ id: manager.userId, role: manager.role },
			{ subjectId: userId, detail },
			tx
		);
		if (reset.email) {
			outbox.enqueue(
				'sign_in_reset',
				null,
				{ channel: 'email', to: reset.email, ...accountNotice('reset', reset.role, now) },
				tx,
				'staff'
			);
		}
		return true;
	});
}

/** Resets one of our own staff's sign-in (`resetSignIn`): the admin's page. */
export function resetStaffSignIn(admin: SignedIn, userId: string, password: string) {
	return resetSignIn(admin, userId, password, inArray(users.role, staffRoles));
}

/** Each email to a worker about their account: its words, and the page its link opens. */
const notices = {
	changed: { key: 'staff.password.email', page: 'sign-in' },
	reset: { key: 'staff.resetSignIn.email', page: 'sign-in' },
	codes: { key: 'staff.verify.email', page: 'password' },
	disabled: { key: 'staff.verify.disabledEmail', page: 'sign-in' }
} as const;

/**
 * The email after a worker's password was changed, their sign-in reset, or their password used
 * by someone without their codes: what happened, when, and what to do if it was not them. Work
 * accounts are in English.
 */
function accountNotice(
	what: keyof typeof notices,
	role: Role,
	at: Date
): { subject: string; text: string } {
	const t = fixedT('en');
	const { serviceName, origin } = config();
	const area = role === 'partner' ? 'partner' : 'staff';
	const when = at.toLocaleString('en-GB', {
		dateStyle: 'long',
		timeStyle: 'short',
		timeZone: 'Europe/London'
	});
	const { key, page } = notices[what];
	return {
		subject: t(`${key}.subject`, { service: serviceName }),
		text: t(`${key}.${area}`, {
			service: serviceName,
			when,
			link: new URL(`/${area}/${page}`, origin).href
		})
	};
}

/** The key second-factor tries are counted under: this worker, from this address. */
const secondFactorAttempt = (user: SignedIn, address: string) => ({
	account: `second-factor:${user.userId}`,
	address
});

/**
 * When this worker may try a code again from this address, if not now: so that the page can say
 * "too many tries" rather than call a right code wrong (`verifySecondFactor` refuses it too).
 */
export function secondFactorWait(user: SignedIn, address: string): Date | null {
	return rateLimit.waitUntil(secondFactorAttempt(user, address));
}

/** True once this worker's wrong codes in a row have reached `secondFactorLimit`. */
export function secondFactorLocked(userId: string): boolean {
	const row = database()
		.select({ failures: users.secondFactorFailures })
		.from(users)
		.where(eq(users.id, userId))
		.get();
	return (row?.failures ?? 0) >= secondFactorLimit;
}

export type SecondFactorAnswer = 'right' | 'wrong' | 'locked';

/**
 * Second factor at sign-in: a TOTP code, or one unused recovery code (then spent). Each try is
 * counted as wrong before it is checked, like every secret (`rateLimit.begin`), and taken back
 * once right; the try that makes `secondFactorLimit` wrong in a row switches the codes off,
 * and `locked` answers every try after it. Only an enrolled worker's tries count: before
 * enrolment there are no codes to guess (the code step sends them to enrol).
 */
export async function verifySecondFactor(
	user: SignedIn,
	typed: string,
	address: string
): Promise<SecondFactorAnswer> {
	const tried = rateLimit.begin(secondFactorAttempt(user, address));
	if ('until' in tried) return 'wrong';
	const counted = database()
		.update(users)
		.set({ secondFactorFailures: sql`${users.secondFactorFailures} + 1` })
		.where(
			and(
				eq(users.id, user.userId),
				isNotNull(users.recoveryHashes),
				lt(users.secondFactorFailures, secondFactorLimit)
			)
		)
		.returning({ failures: users.secondFactorFailures })
		.get();
	if (!counted) {
		if (!secondFactorLocked(user.userId)) return 'wrong';
		tried.right();
		return 'locked';
	}
	const staff = workerById(user.userId);
	const code = typed.trim().toLowerCase();
	let ok = false;
	if (staff && /^\d{6}$/.test(code)) ok = acceptCode(staff, code);
	else if (staff?.recoveryHashes) {
		const held = staff.recoveryHashes;
		for (const [i, hashed] of held.entries()) {
			if (await verifySecret(hashed, code)) {
				// Spent only if the codes are still those read before the check: two tries at once
				// with the same code must not both get in, nor bring back a code the other spent.
				const spent = database()
					.update(users)
					.set({ recoveryHashes: held.filter((_, j) => j !== i) })
					.where(and(eq(users.id, staff.id), eq(users.recoveryHashes, held)))
					.run();
				ok = spent.changes === 1;
				break;
			}
		}
	}
	if (ok) {
		tried.right();
		// Back to none in a row. A wrong code that reached the limit while this one was checked
		// (a recovery code takes argon2's time) has switched the codes off, and said so: this one
		// comes too late. Only when this try itself reached the limit is the decision its own.
		const reopened = database()
			.update(users)
			.set({ secondFactorFailures: 0 })
			.where(
				and(
					eq(users.id, user.userId),
					counted.failures >= secondFactorLimit
						? lte(users.secondFactorFailures, secondFactorLimit)
						: lt(users.secondFactorFailures, secondFactorLimit)
				)
			)
			.run();
		return reopened.changes === 1 ? 'right' : 'locked';
	}
	audit.record('sign_in_failed', { id: user.userId, role: user.role }, { subjectId: user.userId });
	if (counted.failures >= secondFactorLimit && switchCodesOff(user)) return 'locked';
	warnOfKnownPassword(user, address);
	return 'wrong';
}

/**
 * The wrong code that made `secondFactorLimit` in a row: marks the codes switched off and said
 * so (one past the limit), and then the audit trail keeps `second_factor_disabled` and the
 * worker's work address is told what happened and who can set them up again. False, with nothing
 * sent, when the count is no longer at the limit: a reset (back to none) or a right code that
 * reached the limit itself came first. Sessions already signed in with a right code carry on (the
 * worker at their desk is not thrown out by whoever holds their password); a reset ends them.
 */
function switchCodesOff(user: SignedIn): boolean {
	const now = new Date();
	return database().transaction((tx) => {
		const worker = tx
			.update(users)
			.set({ secondFactorFailures: secondFactorLimit + 1 })
			.where(and(eq(users.id, user.userId), eq(users.secondFactorFailures, secondFactorLimit)))
			.returning({ email: users.email, role: users.role })
			.get();
		if (!worker) return false;
		audit.record(
			'second_factor_disabled',
			{ id: user.userId, role: user.role },
			{ subjectId: user.userId },
			tx
		);
		if (worker.email) {
			outbox.enqueue(
				'second_factor_disabled',
				null,
				{ channel: 'email', to: worker.email, ...accountNotice('disabled', worker.role, now) },
				tx,
				'staff'
			);
		}
		return true;
	});
}

/** How long after one warning of wrong codes the next may go. */
export const codesWarningHours = 1;

/**
 * Whoever is at the code step got past the first one: the worker's password, or their
 * organisation's account. Once their wrong codes make them wait, that is very likely known to
 * someone else: the worker is told by email at once (ASVS 5.0 V6.3.5), with the link to change
 * their password, at most once an hour however the tries go on, and the audit trail keeps
 * `second_factor_locked_out`.
 */
function warnOfKnownPassword(user: SignedIn, address: string): void {
	// Held back by this worker's own wrong codes (from this address, or from anywhere), not by
	// others' failures filling the address's count.
	const held = rateLimit.waitUntil(secondFactorAttempt(user, address), new Date(), {
		countAddress: false
	});
	if (!held) return;
	const worker = workerById(user.userId);
	if (!worker?.email) return;
	const now = new Date();
	const since = new Date(now.getTime() - codesWarningHours * 3_600_000);
	database().transaction((tx) => {
		const warned = tx
			.select({ id: auditLog.id })
			.from(auditLog)
			.where(
				and(
					eq(auditLog.action, 'second_factor_locked_out'),
					eq(auditLog.subjectId, worker.id),
					gt(auditLog.at, since)
				)
			)
			.get();
		if (warned) return;
		audit.record(
			'second_factor_locked_out',
			{ id: user.userId, role: user.role },
			{ subjectId: worker.id },
			tx
		);
		outbox.enqueue(
			'second_factor_locked_out',
			null,
			{ channel: 'email', to: worker.email!, ...accountNotice('codes', worker.role, now) },
			tx,
			'staff'
		);
	});
}

/**
 * Replaces the half-signed-in session with a full one under a new id; returns its grant, or null
 * when that session has meanwhile been ended (the account reset or deactivated, a sign-out
 * everywhere): then there is nothing to complete.
 */
export function completeSignIn(user: SignedIn): string | null {
	return database().transaction(() => {
		if (!sessions.end(user.sessionId)) return null;
		audit.record('sign_in', { id: user.userId, role: user.role });
		return sessions.start(user.userId).grant;
	});
}

/** Every staff account, for the admin's list. */
export function list() {
	return database()
		.select({
			id: users.id,
			email: users.email,
			role: users.role,
			deactivatedAt: users.deactivatedAt,
			enrolled: isNotNull(users.recoveryHashes),
			failures: users.secondFactorFailures
		})
		.from(users)
		.where(inArray(users.role, staffRoles))
		.orderBy(users.email)
		.all()
		.map(({ failures, ...account }) => ({
			...account,
			codesOff: failures >= secondFactorLimit
		}));
}

/** Creates a staff account; they enrol their second factor at first sign-in. */
export async function create(
	actor: SignedIn,
	input: { email: string; role: StaffRole; password: string; name: string }
): Promise<'created' | 'emailTaken'> {
	const email = input.email.trim().toLowerCase();
	const secretHash = await hashSecret(input.password);
	// Checked after the hash: from here to the insert nothing waits, so a second request for the
	// same email (a double click) finds this account instead of failing on the unique index.
	if (database().select({ id: users.id }).from(users).where(eq(users.email, email)).get()) {
		return 'emailTaken';
	}
	const created = database()
		.insert(users)
		.values({ role: input.role, email, nameSealed: seal(input.name), secretHash })
		.returning()
		.get();
	audit.record('staff_created', { id: actor.userId, role: actor.role }, { subjectId: created.id });
	return 'created';
}

/** Changes a staff member's role. */
export function setRole(actor: SignedIn, userId: string, role: StaffRole): boolean {
	const staff = staffById(userId);
	if (!staff || staff.deactivatedAt) return false;
	database().update(users).set({ role }).where(eq(users.id, userId)).run();
	audit.record('role_changed', { id: actor.userId, role: actor.role }, { subjectId: userId });
	return true;
}

/** Deactivates a staff account and ends every session it has at once. */
export function deactivate(actor: SignedIn, userId: string): boolean {
	const staff = staffById(userId);
	if (!staff || staff.deactivatedAt || userId === actor.userId) return false;
	database().update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, userId)).run();
	sessions.endAll(userId);
	audit.record('staff_deactivated', { id: actor.userId, role: actor.role }, { subjectId: userId });
	return true;
}
