import { generateSync } from 'otplib';
import { isRedirect, type RequestEvent } from '@sveltejs/kit';
import { beforeEach, describe, expect, it } from 'vitest';
import { organisations, requirePartner, staff, sessions } from '$lib/server/auth';
import { match } from '$lib/server/auth/organisation-accounts';
import { freshDatabase } from '$lib/server/db/testing';
import * as referrals from '$lib/server/referrals';
import { saveSteps, staffMember, testCipher, validSteps } from '$lib/server/testing/fixtures';
import { partnerWorker, sentReferral } from '$lib/server/testing/partners';
import * as partners from './index';
import * as work from './work';
import * as workers from './workers';

let db: ReturnType<typeof freshDatabase>['db'];
beforeEach(() => {
	({ db } = freshDatabase());
	testCipher();
});

const password = 'a long enough password';
/** An admin as the guards give them, signed in. */
const signedInAdmin = () => ({
	...staffMember('admin', 'Priya'),
	sessionId: 'session',
	expiresAt: 0,
	secondFactorPending: false
});

/** Sam, a caseworker with a password and a second factor set up, added by this admin. */
async function enrolledCaseworker(admin: ReturnType<typeof signedInAdmin>) {
	await staff.create(admin, {
		email: 'sam@onedoor.test',
		role: 'caseworker',
		password,
		name: 'Sam'
	});
	const sam = staff.list().find((account) => account.email === 'sam@onedoor.test')!;
	db.$client
		.prepare("update users set recovery_hashes = '[]', totp_sealed = 'x' where id = ?")
		.run(sam.id);
	return sam;
}

describe('an account added twice at once (a double click)', () => {
	it('makes one staff account and answers the second "email taken", never an error', async () => {
		const admin = signedInAdmin();
		const input = { email: 'sam@onedoor.test', role: 'caseworker', password, name: 'Sam' } as const;
		const results = await Promise.all([staff.create(admin, input), staff.create(admin, input)]);
		expect(results.sort()).toEqual(['created', 'emailTaken']);
		const rows = db.$client.prepare("select id from users where email = 'sam@onedoor.test'").all();
		expect(rows).toHaveLength(1);
	});

	it('makes one partner worker and answers the second "email taken", never an error', async () => {
		const admin = staffMember('admin', 'Priya');
		const input = { email: 'nia@shelter.test', name: 'Nia', password, partnerAdmin: false };
		const results = await Promise.all([
			workers.add(admin, 'shelter', input),
			workers.add(admin, 'shelter', input)
		]);
		expect(results.sort()).toEqual(['created', 'emailTaken']);
		expect(workers.list('shelter')).toHaveLength(1);
	});
});

describe('an agency’s workers', () => {
	it('are added as partner workers of that agency only, and sign in only at /partner', async () => {
		const admin = staffMember('admin', 'Priya');
		expect(
			await workers.add(admin, 'shelter', {
				email: 'Nia@Shelter.test',
				name: 'Nia Brown',
				password,
				partnerAdmin: false
			})
		).toBe('created');
		expect(
			await workers.add(admin, 'galop', {
				email: 'nia@shelter.test',
				name: 'Nia again',
				password,
				partnerAdmin: false
			})
		).toBe('emailTaken');
		expect(
			await workers.add(admin, 'no-such-agency', {
				email: 'x@y.test',
				name: 'X',
				password,
				partnerAdmin: false
			})
		).toBe('noAgency');
		expect(workers.list('shelter')).toMatchObject([
			{ email: 'nia@shelter.test', name: 'Nia Brown', partnerAdmin: false, enrolled: false }
		]);
		expect(workers.list('galop')).toEqual([]);
		const row = db.$client
			.prepare("select role, agency_id from users where email = 'nia@shelter.test'")
			.get();
		expect(row).toEqual({ role: 'partner', agency_id: 'shelter' });
		// The console's door does not open for a partner worker's password, and theirs only for them.
		expect(await staff.signInWithPassword('nia@shelter.test', password, '10.0.0.1')).toMatchObject({
			ok: false
		});
		expect(
			await staff.signInWithPassword('nia@shelter.test', password, '10.0.0.1', undefined, 'partner')
		).toMatchObject({ ok: true });
	});

	it('a staff member’s password opens nothing at the partner door', async () => {
		await staff.create(signedInAdmin(), {
			email: 'jo@onedoor.test',
			role: 'caseworker',
			password,
			name: 'Jo'
		});
		expect(
			await staff.signInWithPassword('jo@onedoor.test', password, '10.0.0.2', undefined, 'partner')
		).toMatchObject({ ok: false, reason: 'invalid' });
	});

	it('are deactivated by their agency’s manager only, and their sessions end at once', async () => {
		const lead = await partnerWorker('shelter', 'Lead', { partnerAdmin: true });
		const sam = await partnerWorker('shelter', 'Sam');
		const kit = await partnerWorker('galop', 'Kit');
		const session = sessions.start(sam.userId).sessionId;
		expect(sessions.resume(session)).not.toBeNull();
		// Another agency's worker, oneself, or a staff member are not this agency's to deactivate.
		expect(workers.deactivate(lead, 'shelter', kit.userId)).toBe(false);
		expect(workers.deactivate(lead, 'shelter', lead.userId)).toBe(false);
		expect(workers.deactivate(lead, 'shelter', staffMember('admin', 'Priya').userId)).toBe(false);
		expect(workers.deactivate(lead, 'shelter', sam.userId)).toBe(true);
		expect(sessions.resume(session)).toBeNull();
		expect(workers.list('galop')[0]!.deactivatedAt).toBeNull();
	});

	it('are never changed into staff from the console’s staff page', async () => {
		const admin = signedInAdmin();
		const sam = await partnerWorker('shelter', 'Sam');
		expect(staff.setRole(admin, sam.userId, 'admin')).toBe(false);
		expect(staff.list().map((s) => s.email)).not.toContain(sam.email);
		expect(db.$client.prepare('select role from users where id = ?').get(sam.userId)).toEqual({
			role: 'partner'
		});
	});
});

/** A request as the hooks make it: the session cookie's session resumed, or nobody. */
const requestWith = (sessionId: string) =>
	({ locals: { user: sessions.resume(sessionId) } }) as unknown as RequestEvent;

/** Where the partner area's guard sends this request, or the referral it lets them open. */
function openAs(sessionId: string, referralId: string) {
	try {
		const partner = requirePartner(requestWith(sessionId));
		return work.openReferral(partner, referralId);
	} catch (thrown) {
		if (isRedirect(thrown)) return { redirectedTo: thrown.location };
		throw thrown;
	}
}

describe('an agency taken off the list', () => {
	it('signs its workers out at once, lets none sign in, and shows them no referral', async () => {
		const admin = staffMember('admin', 'Priya');
		const sent = await referrals.submit(await saveSteps(validSteps()));
		if (!sent.ok) throw new Error('incomplete');
		const referral = sentReferral(sent.caseId, 'shelter', 'Needs somewhere safe to live.');
		const sam = await partnerWorker('shelter', 'Sam');
		const kit = await partnerWorker('galop', 'Kit');
		const samSession = sessions.start(sam.userId).sessionId;
		const kitSession = sessions.start(kit.userId).sessionId;
		const org = organisations.add(admin, {
			name: 'Shelter accounts',
			issuer: 'https://login.shelter.test',
			clientId: 'onedoor',
			clientSecret: '',
			emailDomains: ['shelter.test'],
			agencyId: 'shelter'
		});
		if (!org.ok) throw new Error('organisation not added');
		const shelterOrg = organisations.active(org.id)!;
		const identity = { iss: 'https://login.shelter.test', sub: 'sam', email_verified: true };
		expect(openAs(samSession, referral)).toMatchObject({
			ok: true,
			referral: { summary: 'Needs somewhere safe to live.' }
		});

		expect(partners.setActive(admin, 'shelter', false)).toEqual({ ok: true });
		// Signed out, sent to sign in again: the shared referral cannot be read.
		expect(sessions.resume(samSession)).toBeNull();
		expect(openAs(samSession, referral)).toEqual({ redirectedTo: '/partner/sign-in' });
		// The right password is refused exactly as a wrong one is: nothing said about the agency.
		const signIn = (password: string) =>
			staff.signInWithPassword(sam.email, password, '10.0.0.9', undefined, 'partner');
		expect(await signIn(sam.password)).toEqual({ ok: false, reason: 'invalid' });
		expect(await signIn('not the password')).toEqual({ ok: false, reason: 'invalid' });
		// The agency's organisation offers no sign-in, and could not sign them in if it were used.
		expect(organisations.forSignIn('partner')).toEqual([]);
		expect(organisations.active(org.id)).toBeUndefined();
		expect(match(shelterOrg, { ...identity, email: sam.email })).toMatchObject({
			ok: false,
			reason: 'deactivated'
		});
		// A session begun as it was switched off (a password checked a moment before) is not live.
		expect(sessions.resume(sessions.start(sam.userId).sessionId)).toBeNull();
		// Another agency's worker is untouched.
		expect(openAs(kitSession, referral)).toMatchObject({ ok: false, reason: 'not_found' });
		expect(sessions.resume(kitSession)).not.toBeNull();
		expect(
			db.$client
				.prepare("select detail from audit_log where action = 'agency_changed' and actor_id = ?")
				.all(admin.userId)
		).toEqual([{ detail: 'switched off shelter; its workers signed out: 1' }]);

		expect(partners.setActive(admin, 'shelter', true)).toEqual({ ok: true });
		// Back on the list they sign in again; the sessions that ended stay ended.
		expect(await signIn(sam.password)).toMatchObject({ ok: true });
		expect(sessions.resume(samSession)).toBeNull();
		expect(organisations.active(org.id)).toMatchObject({ id: org.id });
		expect(match(shelterOrg, { ...identity, email: sam.email })).toMatchObject({ ok: true });
		const fresh = sessions.start(sam.userId).sessionId;
		expect(openAs(fresh, referral)).toMatchObject({ ok: true });
	});
});

describe('resetting a worker’s sign-in', () => {
	const first = 'a first password to give';

	it('gives a staff member a first password and a second factor to set up again, ends their sessions and tells them', async () => {
		const admin = signedInAdmin();
		const worker = await partnerWorker('shelter', 'Kit');
		const sam = await enrolledCaseworker(admin);
		const session = sessions.start(sam.id).sessionId;

		expect(await staff.resetStaffSignIn(admin, sam.id, first)).toBe(true);
		expect(staff.isEnrolled(sam.id)).toBe(false);
		expect(sessions.resume(session)).toBeNull();
		expect((await staff.signInWithPassword('sam@onedoor.test', password, '10.0.0.1')).ok).toBe(
			false
		);
		expect((await staff.signInWithPassword('sam@onedoor.test', first, '10.0.0.1')).ok).toBe(true);
		const audit = db.$client
			.prepare("select actor_id, subject_id from audit_log where action = 'sign_in_reset'")
			.all();
		expect(audit).toEqual([{ actor_id: admin.userId, subject_id: sam.id }]);
		const email = db.$client.prepare("select kind from outbox where kind = 'sign_in_reset'").all();
		expect(email).toHaveLength(1);

		// Not one's own, not a partner worker from the staff page, not twice once deactivated.
		expect(await staff.resetStaffSignIn(admin, admin.userId, first)).toBe(false);
		expect(await staff.resetStaffSignIn(admin, worker.userId, first)).toBe(false);
		staff.deactivate(admin, sam.id);
		expect(await staff.resetStaffSignIn(admin, sam.id, first)).toBe(false);
	});

	it('lets an agency reset only its own workers', async () => {
		const manager = await partnerWorker('shelter', 'Mo', { partnerAdmin: true });
		const colleague = await partnerWorker('shelter', 'Lee');
		const elsewhere = await partnerWorker('galop', 'Ash');
		const colleagueSession = sessions.start(colleague.userId).sessionId;

		expect(await workers.resetSignIn(manager, 'shelter', elsewhere.userId, first)).toBe(false);
		expect(await workers.resetSignIn(manager, 'shelter', manager.userId, first)).toBe(false);
		expect(await workers.resetSignIn(manager, 'shelter', colleague.userId, first)).toBe(true);
		expect(sessions.resume(colleagueSession)).toBeNull();
		expect(staff.isEnrolled(colleague.userId)).toBe(false);
		expect(staff.isEnrolled(elsewhere.userId)).toBe(true);
		const door = await staff.signInWithPassword(
			colleague.email,
			first,
			'10.0.0.2',
			undefined,
			'partner'
		);
		expect(door.ok).toBe(true);
	});
});

describe('a reset and a sign-in at the same moment', () => {
	const first = 'a first password to give';

	const liveSessions = (userId: string) =>
		db.$client
			.prepare('select count(*) as n from sessions where user_id = ? and revoked_at is null')
			.get(userId) as { n: number };

	it('leaves no session open on the old password, whichever finishes first', async () => {
		const admin = signedInAdmin();
		const sam = await enrolledCaseworker(admin);
		// The reset's hash is queued first, so it lands while the old password is being checked.
		// (With one hashing thread, as on a 2-core machine, always in that order; with more, the
		// sign-in may finish first, and the reset then ends its session.)
		const [reset] = await Promise.all([
			staff.resetStaffSignIn(admin, sam.id, first),
			staff.signInWithPassword('sam@onedoor.test', password, '10.0.0.3')
		]);
		expect(reset).toBe(true);
		expect(liveSessions(sam.id)).toEqual({ n: 0 });
	});

	it('does not finish a sign-in whose half-signed-in session a reset ended', async () => {
		const admin = signedInAdmin();
		const sam = await enrolledCaseworker(admin);
		const half = sessions.resume(sessions.start(sam.id, { secondFactorPending: true }).sessionId)!;
		expect(await staff.resetStaffSignIn(admin, sam.id, first)).toBe(true);
		expect(staff.completeSignIn(half)).toBeNull();
		expect(liveSessions(sam.id)).toEqual({ n: 0 });
	});

	it('does not let an enrolment checked against the old password land after a reset', async () => {
		const admin = signedInAdmin();
		const sam = await enrolledCaseworker(admin);
		db.$client.prepare('update users set recovery_hashes = null where id = ?').run(sam.id);
		const half = sessions.resume(sessions.start(sam.id, { secondFactorPending: true }).sessionId)!;
		const checked = await staff.checkPassword(half, password, '10.0.0.4', 'sign_in_failed');
		if (!checked.ok) throw new Error('the given password was refused');
		expect(await staff.resetStaffSignIn(admin, sam.id, first)).toBe(true);
		const secret = (await staff.enrolment(half))!.secret;
		const code = generateSync({ secret });
		expect(
			await staff.confirmEnrolment(half, code, 'my own new password', checked.hash)
		).toBeNull();
		expect(staff.isEnrolled(sam.id)).toBe(false);
	});

	it('lets the first password in at once, though the forgotten one was tried too often', async () => {
		const admin = signedInAdmin();
		const sam = await enrolledCaseworker(admin);
		for (let i = 0; i < 6; i++) {
			await staff.signInWithPassword('sam@onedoor.test', `forgotten ${i}`, '10.0.0.5');
		}
		const locked = await staff.signInWithPassword('sam@onedoor.test', password, '10.0.0.5');
		expect(locked.ok === false && locked.reason).toBe('lockedOut');
		expect(await staff.resetStaffSignIn(admin, sam.id, first)).toBe(true);
		expect((await staff.signInWithPassword('sam@onedoor.test', first, '10.0.0.5')).ok).toBe(true);
	});
});
