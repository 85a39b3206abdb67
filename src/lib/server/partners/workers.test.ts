import { beforeEach, describe, expect, it } from 'vitest';
import { staff, sessions } from '$lib/server/auth';
import { freshDatabase } from '$lib/server/db/testing';
import { staffMember, testCipher } from '$lib/server/testing/fixtures';
import { partnerWorker } from '$lib/server/testing/partners';
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
