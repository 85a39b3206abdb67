import { clientAddress } from '$lib/server/http/client-address';
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { readValid } from '$lib/server/forms';
import { issueCookie, setSessionCookie } from './authjs';
import { isStaffRole, requirePendingPartner, requirePendingStaff } from './guards';
import { staffSignInSchema, unlockTime, withNewPassword } from './sign-in-form';
import * as organisationAccounts from './organisation-accounts';
import * as organisations from './organisations';
import * as rateLimit from './rate-limit';
import * as staff from './staff';
import type { Door } from './staff';

// The three steps of a work sign-in (password, then enrolment or a code), one implementation for
// both doors: the console's at /staff and the partner area's at /partner. Each door finds only
// its own accounts, and a session half-signed-in at one is refused at the other's later steps.

const pending: Record<Door, (event: RequestEvent) => ReturnType<typeof requirePendingStaff>> = {
	staff: requirePendingStaff,
	partner: requirePendingPartner
};

/** The sign-in page: someone already fully signed in at this door goes to its home. */
export function signInLoad(door: Door) {
	return ({ locals, url }: RequestEvent) => {
		const user = locals.user;
		if (user && !user.secondFactorPending) {
			const here = door === 'partner' ? user.role === 'partner' : isStaffRole(user.role);
			if (here) redirect(303, `/${door}`);
		}
		return { organisations: organisations.forSignIn(door), ...organisationRefusal(url) };
	};
}

/**
 * Why an organisation sign-in was refused, as its callback sends the browser back here: one of
 * the refusals' own messages, or the password's "too many tries" with the time it opens again.
 */
function organisationRefusal(url: URL): {
	refusal: string | null;
	refusalParams: Record<string, string>;
} {
	const reason = url.searchParams.get('organisation');
	if (reason === 'lockedOut') {
		const until = Number(url.searchParams.get('until'));
		// A time already past (or none) has nothing left to wait for, and one further off than a
		// lockout ever lasts was not written by us (the address is the browser's to change).
		const latest = Date.now() + rateLimit.windowMinutes * 60_000;
		if (!Number.isFinite(until) || until <= Date.now() || until > latest) {
			return { refusal: null, refusalParams: {} };
		}
		const time = unlockTime(new Date(until), 'en-GB');
		return { refusal: 'staff.signIn.errors.lockedOut', refusalParams: { time } };
	}
	const refused = organisationAccounts.refusals.find((known) => known === reason);
	return {
		refusal: refused ? `staff.organisationSignIn.refused.${refused}` : null,
		refusalParams: {}
	};
}

/** The first factor: work email and password, then the second factor at `/<door>/verify`. */
export function signInAction(door: Door) {
	return async (event: RequestEvent) => {
		const sent = await readValid(event.request, staffSignInSchema, { secret: ['password'] });
		if (!sent.ok) return sent.failure;
		const result = await staff.signInWithPassword(
			sent.output.email,
			sent.output.password,
			clientAddress(event),
			event.cookies,
			door
		);
		if (!result.ok) {
			if (result.reason === 'lockedOut') {
				const time = unlockTime(result.until, 'en-GB');
				return sent.refuse('email', 'staff.signIn.errors.lockedOut', {
					status: 429,
					params: { time }
				});
			}
			return sent.refuse('email', 'staff.signIn.errors.invalid');
		}
		return issueCookie(event, result.grant, `/${door}/verify`);
	};
}

const wrongCode = 'staff.verify.errors.code';
// A code from the app (six digits) or a recovery code.
const verifyForm = v.object({
	code: v.pipe(v.string(wrongCode), v.nonEmpty(wrongCode), v.maxLength(40, wrongCode))
});

/** The second factor's page; an account not yet enrolled goes to enrol first. */
export function verifyLoad(door: Door) {
	return (event: RequestEvent) => {
		const user = pending[door](event);
		if (!staff.isEnrolled(user.userId)) redirect(303, `/${door}/enrol`);
		// Past too many wrong codes in a row: the page says who can set the worker up again.
		return { door, locked: staff.secondFactorLocked(user.userId) };
	};
}

/** The second factor: a code (or a recovery code) completes sign-in under a new session id. */
export function verifyAction(door: Door) {
	return async (event: RequestEvent) => {
		const user = pending[door](event);
		// As the page does: a worker not yet enrolled has no codes to try here.
		if (!staff.isEnrolled(user.userId)) redirect(303, `/${door}/enrol`);
		const sent = await readValid(event.request, verifyForm, { secret: ['code'] });
		if (!sent.ok) return sent.failure;
		// The page (its load runs again after this) says the codes no longer work.
		if (staff.secondFactorLocked(user.userId)) return fail(403, {});
		const address = clientAddress(event);
		const until = staff.secondFactorWait(user, address);
		if (until) {
			return sent.refuse('code', 'staff.verify.errors.lockedOut', {
				status: 429,
				params: { time: unlockTime(until, 'en-GB') }
			});
		}
		const answer = await staff.verifySecondFactor(user, sent.output.code, address);
		if (answer === 'locked') return fail(403, {});
		if (answer === 'wrong') return sent.refuse('code', wrongCode);
		const grant = staff.completeSignIn(user);
		// Ended while the code was checked (a reset, a deactivation): start again.
		if (!grant) redirect(303, `/${door}/sign-in`);
		return issueCookie(event, grant, `/${door}`);
	};
}

const wrongEnrolCode = 'staff.enrol.errors.code';
const weakPassword = 'staff.enrol.errors.password';
const wrongGiven = 'staff.enrol.errors.given';
// The password they were given, the first code, and a password of the worker's own: the one an
// admin chose for them (and so knows) stops working when setting up finishes. The given one is
// asked for even after a password sign-in: a worker who came in through their organisation's
// account has not shown it, and whoever holds that account (or a lost phone signed in to it) must
// not set up a second factor of their own after a reset.
const enrolForm = withNewPassword(
	{
		given: v.pipe(v.string(wrongGiven), v.nonEmpty(wrongGiven), v.maxLength(256, wrongGiven)),
		code: v.pipe(
			v.string(wrongEnrolCode),
			v.trim(),
			v.nonEmpty(wrongEnrolCode),
			v.maxLength(10, wrongEnrolCode)
		)
	},
	weakPassword
);

/** Enrolment's page: the QR code and key, shown only until enrolment is finished. */
export function enrolLoad(door: Door) {
	return async (event: RequestEvent) => {
		const user = pending[door](event);
		const enrolment = await staff.enrolment(user);
		if (enrolment) return { ...enrolment, home: `/${door}` };
		// Straight after the enrolment action the page shows the recovery codes, nothing else.
		if (event.request.method === 'POST') return { svg: '', secret: '', home: `/${door}` };
		redirect(303, `/${door}/verify`);
	};
}

/** Finishes enrolment with a first code; the recovery codes are shown this once. */
export function enrolAction(door: Door) {
	return async (event: RequestEvent) => {
		const user = pending[door](event);
		// An enrolled account has nothing to enrol: it proves its second factor at verify,
		// and its secret is never sent back, not even beside an error.
		if (staff.isEnrolled(user.userId)) redirect(303, `/${door}/verify`);
		const sent = await readValid(event.request, enrolForm, {
			secret: ['given', 'code', 'password', 'confirm']
		});
		if (!sent.ok) return sent.failure;
		const given = await staff.checkPassword(
			user,
			sent.output.given,
			clientAddress(event),
			'sign_in_failed'
		);
		if (!given.ok) {
			if (given.reason === 'wrong') return sent.refuse('given', wrongGiven);
			return sent.refuse('given', 'staff.password.errors.lockedOut', {
				status: 429,
				params: { time: unlockTime(given.until, 'en-GB') }
			});
		}
		if (sent.output.password === sent.output.given) {
			return sent.refuse('password', 'staff.enrol.errors.sameAsGiven');
		}
		const codes = await staff.confirmEnrolment(
			user,
			sent.output.code,
			sent.output.password,
			given.hash
		);
		if (!codes) {
			const enrolment = await staff.enrolment(user);
			if (!enrolment) redirect(303, `/${door}/verify`);
			return sent.refuse('code', wrongEnrolCode);
		}
		// The first code proves the app works: signing in completes under a new session id.
		const grant = staff.completeSignIn(user);
		if (!grant) redirect(303, `/${door}/sign-in`);
		await setSessionCookie(event, grant);
		return { codes };
	};
}
