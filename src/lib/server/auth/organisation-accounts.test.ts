import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '$lib/server/db/testing';
import { auditLog, users } from '$lib/server/db/schema';
import { staffMember, testCipher } from '$lib/server/testing/fixtures';
import { match, recordRefusal, type IdentityClaims } from './organisation-accounts';
import * as organisations from './organisations';
import * as sessions from './sessions';
import * as staff from './staff';

let db: ReturnType<typeof freshDatabase>['db'];
beforeEach(() => {
	({ db } = freshDatabase());
	testCipher();
});

const issuer = 'https://login.example.test/tenant/v2.0';

/** An organisation as an admin adds it: our own staff's, or a partner agency's. */
function organisation(agencyId: string | null = null) {
	const admin = staffMember('admin', `Admin${Math.random().toString(36).slice(2, 8)}`);
	const added = organisations.add(admin, {
		name: agencyId ? 'Agency' : 'Our service',
		issuer,
		clientId: 'client',
		clientSecret: 'secret',
		emailDomains: ['service.example.test'],
		agencyId
	});
	if (!added.ok) throw new Error('organisation not added');
	return organisations.active(added.id)!;
}

function account(
	email: string,
	values: Partial<typeof users.$inferInsert> = {}
): typeof users.$inferSelect {
	return db
		.insert(users)
		.values({ role: 'caseworker', email, ...values })
		.returning()
		.get();
}

const claims = (email: string, more: Partial<IdentityClaims> = {}): IdentityClaims => ({
	iss: issuer,
	sub: `subject-of-${email}`,
	email,
	email_verified: true,
	...more
});

const stored = (id: string) => db.select().from(users).where(eq(users.id, id)).get()!;

describe('organisation sign-in finds the existing account', () => {
	it('by verified email in one of its domains, and binds the identity at the first sign-in', () => {
		const org = organisation();
		const sam = account('sam@service.example.test');
		expect(match(org, claims('Sam@Service.Example.test', { sub: 's-1' }))).toEqual({
			ok: true,
			userId: sam.id,
			role: 'caseworker'
		});
		expect(stored(sam.id)).toMatchObject({ oidcIssuer: issuer, oidcSubject: 's-1' });
		// Afterwards the same identity signs in again; another with the same email does not.
		expect(match(org, claims('sam@service.example.test', { sub: 's-1' })).ok).toBe(true);
		expect(match(org, claims('sam@service.example.test', { sub: 's-2' }))).toEqual({
			ok: false,
			reason: 'subjectMismatch',
			userId: sam.id
		});
		expect(stored(sam.id).oidcSubject).toBe('s-1');
	});

	it('refuses an email the organisation has not verified, or none', () => {
		const org = organisation();
		account('sam@service.example.test');
		for (const unverified of [false, 'true', undefined]) {
			const sent = claims('sam@service.example.test', { email_verified: unverified });
			expect(match(org, sent)).toEqual({ ok: false, reason: 'notVerified' });
		}
		expect(match(org, claims('x', { email: undefined }))).toEqual({
			ok: false,
			reason: 'notVerified'
		});
	});

	it('refuses an email outside its domains, a look-alike domain included', () => {
		const org = organisation();
		account('sam@elsewhere.example.test');
		account('sam@service.example.test.evil.test');
		for (const email of ['sam@elsewhere.example.test', 'sam@service.example.test.evil.test']) {
			expect(match(org, claims(email))).toEqual({ ok: false, reason: 'wrongDomain' });
		}
	});

	it('creates nobody for an unknown email', () => {
		const org = organisation();
		expect(match(org, claims('new@service.example.test'))).toEqual({
			ok: false,
			reason: 'unknownAccount'
		});
		expect(
			db.select().from(users).where(eq(users.email, 'new@service.example.test')).get()
		).toBeUndefined();
	});

	it('refuses a deactivated or locked account, and binds nothing to it', () => {
		const org = organisation();
		const gone = account('gone@service.example.test', { deactivatedAt: new Date() });
		const locked = account('locked@service.example.test', { lockedAt: new Date() });
		for (const who of [gone, locked]) {
			expect(match(org, claims(who.email!))).toEqual({
				ok: false,
				reason: 'deactivated',
				userId: who.id
			});
			expect(stored(who.id).oidcSubject).toBeNull();
		}
	});

	it('signs our own staff in through our organisation, and only an agency’s workers through theirs', () => {
		const ours = organisation();
		const agencyOrg = organisation('shelter');
		const worker = account('worker@service.example.test', {
			role: 'partner',
			agencyId: 'shelter'
		});
		const otherAgency = account('other@service.example.test', {
			role: 'partner',
			agencyId: 'galop'
		});
		const admin = account('admin@service.example.test', { role: 'admin' });
		expect(match(ours, claims(worker.email!)).ok).toBe(false);
		expect(match(ours, claims(worker.email!))).toMatchObject({ reason: 'wrongRole' });
		expect(match(agencyOrg, claims(admin.email!))).toMatchObject({ reason: 'wrongRole' });
		expect(match(agencyOrg, claims(otherAgency.email!))).toMatchObject({ reason: 'wrongRole' });
		expect(match(agencyOrg, claims(worker.email!))).toMatchObject({ ok: true, role: 'partner' });
		expect(match(ours, claims(admin.email!))).toMatchObject({ ok: true, role: 'admin' });
	});

	it('refuses an identity already bound to someone else', () => {
		const org = organisation();
		account('first@service.example.test', { oidcIssuer: issuer, oidcSubject: 'shared' });
		const second = account('second@service.example.test');
		expect(match(org, claims('second@service.example.test', { sub: 'shared' }))).toEqual({
			ok: false,
			reason: 'subjectMismatch',
			userId: second.id
		});
		expect(stored(second.id).oidcSubject).toBeNull();
	});

	it('records a refusal in the audit trail against the account, without its email', () => {
		const org = organisation();
		const gone = account('gone@service.example.test', { deactivatedAt: new Date() });
		recordRefusal(org, match(org, claims(gone.email!)));
		const rows = db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'sign_in_failed'), eq(auditLog.subjectId, gone.id)))
			.all();
		expect(rows.map((row) => row.detail)).toEqual([
			'organisation sign-in with Our service: deactivated'
		]);
	});
});

describe('a session started by organisation sign-in', () => {
	it('still needs the second factor, and ends when the account is deactivated', () => {
		const org = organisation();
		const sam = account('sam@service.example.test');
		const matched = match(org, claims(sam.email!));
		if (!matched.ok) throw new Error('not matched');
		const { sessionId } = sessions.start(matched.userId, { secondFactorPending: true });
		expect(sessions.resume(sessionId)).toMatchObject({ secondFactorPending: true });
		const admin = staffMember('admin', 'Ola');
		expect(
			staff.deactivate(
				{ ...admin, sessionId: '', expiresAt: 0, secondFactorPending: false },
				sam.id
			)
		).toBe(true);
		expect(sessions.resume(sessionId)).toBeNull();
		expect(match(org, claims(sam.email!))).toMatchObject({ ok: false, reason: 'deactivated' });
	});
});

describe('organisations', () => {
	it('take https issuers, or plain http on this machine only', () => {
		expect(organisations.isAcceptableIssuer('https://accounts.google.com')).toBe(true);
		expect(organisations.isAcceptableIssuer('http://127.0.0.1:4323')).toBe(true);
		expect(organisations.isAcceptableIssuer('http://login.example.test')).toBe(false);
		expect(organisations.isAcceptableIssuer('https://login.example.test/?tenant=x')).toBe(false);
		expect(organisations.isAcceptableIssuer('not a url')).toBe(false);
	});

	it('read email domains as typed, lower case, once each', () => {
		expect(organisations.parseDomains(' Met.Police.uk, @met.police.uk\nnhs.net ')).toEqual([
			'met.police.uk',
			'nhs.net'
		]);
		expect(organisations.parseDomains('')).toBeNull();
		expect(organisations.parseDomains('not a domain')).toBeNull();
	});

	it('are offered to our staff or to partner workers, never both, and never when off', () => {
		const ours = organisation();
		const agencyOrg = organisation('shelter');
		expect(organisations.forSignIn('staff')).toEqual([{ id: ours.id, name: 'Our service' }]);
		expect(organisations.forSignIn('partner')).toEqual([{ id: agencyOrg.id, name: 'Agency' }]);
		organisations.setActive(staffMember('admin', 'Ola'), ours.id, false);
		expect(organisations.forSignIn('staff')).toEqual([]);
		expect(organisations.active(ours.id)).toBeUndefined();
	});

	it('keep the client secret sealed', () => {
		const org = organisation();
		expect(org.clientSecretSealed).not.toContain('secret');
		expect(JSON.stringify(organisations.all())).not.toContain(org.clientSecretSealed!);
	});
});
