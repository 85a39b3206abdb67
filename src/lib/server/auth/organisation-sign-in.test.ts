import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestEvent } from '@sveltejs/kit';
import {
	decodeJwt,
	exportJWK,
	generateKeyPair,
	SignJWT,
	type CryptoKey,
	type JWTPayload
} from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { database } from '$lib/server/db';
import { users } from '$lib/server/db/schema';
import { freshDatabase } from '$lib/server/db/testing';
import { messageKey } from '$lib/i18n';
import { fixedT } from '$lib/server/i18n';
import { cookieJar, staffMember, testCipher } from '$lib/server/testing/fixtures';
import { finish, refusedPage, start, verifiedClaims, waitUntil } from './organisation-sign-in';
import * as organisations from './organisations';
import * as rateLimit from './rate-limit';
import { signInLoad } from './sign-in-steps';

// An issuer's published keys on 127.0.0.1, as an organisation's provider serves them: the id
// token's signature is checked against these, whatever Auth.js already checked.
let server: Server;
let issuer: string;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;
/** The id token each authorisation code the provider gave out will be exchanged for. */
const issued = new Map<string, string>();

beforeAll(async () => {
	const published = await generateKeyPair('RS256', { extractable: true });
	signingKey = published.privateKey;
	({ privateKey: strangerKey } = await generateKeyPair('RS256'));
	const publicKey = published.publicKey;
	const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
	server = createServer((req, res) => {
		res.setHeader('content-type', 'application/json');
		if (req.url === '/.well-known/openid-configuration') {
			res.end(
				JSON.stringify({
					issuer,
					jwks_uri: `${issuer}/jwks`,
					authorization_endpoint: `${issuer}/authorize`,
					token_endpoint: `${issuer}/token`,
					userinfo_endpoint: `${issuer}/userinfo`,
					response_types_supported: ['code'],
					subject_types_supported: ['public'],
					id_token_signing_alg_values_supported: ['RS256']
				})
			);
		} else if (req.url === '/jwks') {
			res.end(JSON.stringify({ keys: [jwk] }));
		} else if (req.url === '/token' && req.method === 'POST') {
			// The code exchange: the id token for the person the code was issued to.
			let body = '';
			req.on('data', (chunk) => (body += chunk));
			req.on('end', () => {
				const code = new URLSearchParams(body).get('code') ?? '';
				const token = issued.get(code);
				issued.delete(code);
				if (!token) {
					res.statusCode = 400;
					res.end(JSON.stringify({ error: 'invalid_grant' }));
					return;
				}
				const { sub, email, email_verified } = decodeJwt(token);
				res.end(
					JSON.stringify({
						access_token: JSON.stringify({ sub, email, email_verified }),
						token_type: 'Bearer',
						id_token: token
					})
				);
			});
		} else if (req.url === '/userinfo') {
			// The same person's claims again, for the access token given with the id token.
			res.end(req.headers.authorization?.replace(/^Bearer /i, '') ?? '{}');
		} else {
			res.statusCode = 404;
			res.end('{}');
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const org = () => ({ issuer, clientId: 'onedoor' });

/** An id token as a provider would sign it; `change` alters its claims or key. */
function idToken(
	change: { claims?: JWTPayload; key?: CryptoKey; expiresIn?: string } = {}
): Promise<string> {
	return new SignJWT({
		iss: issuer,
		aud: 'onedoor',
		sub: 'subject-1',
		email: 'sam@service.example.test',
		email_verified: true,
		...change.claims
	})
		.setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
		.setIssuedAt()
		.setExpirationTime(change.expiresIn ?? '5m')
		.sign(change.key ?? signingKey);
}

describe("an organisation's id token", () => {
	it('is accepted when the issuer’s published key signed it for us, in time', async () => {
		const claims = await verifiedClaims(org(), await idToken());
		expect(claims).toMatchObject({ sub: 'subject-1', email: 'sam@service.example.test' });
	});

	it('is refused when another key signed it, even under the published key’s id', async () => {
		await expect(verifiedClaims(org(), await idToken({ key: strangerKey }))).rejects.toThrow(
			/signature/
		);
	});

	it('is refused when it is for another client, from another issuer, or expired', async () => {
		const forOther = await idToken({ claims: { aud: 'another-client' } });
		await expect(verifiedClaims(org(), forOther)).rejects.toThrow(/aud/);
		const fromOther = await idToken({ claims: { iss: 'https://elsewhere.example.test' } });
		await expect(verifiedClaims(org(), fromOther)).rejects.toThrow(/iss/);
		const expired = await idToken({ expiresIn: '-1m' });
		await expect(verifiedClaims(org(), expired)).rejects.toThrow(/exp/);
	});

	it('is refused when there is none', async () => {
		await expect(verifiedClaims(org(), undefined)).rejects.toThrow('no id token');
	});
});

describe('refused organisation sign-ins', () => {
	beforeEach(() => {
		freshDatabase();
		testCipher();
	});
	afterEach(() => vi.useRealTimers());

	const stranger = '203.0.113.9';
	const home = '198.51.100.1';

	/** An organisation of our staff's, signing in through the provider above. */
	function organisation() {
		const added = organisations.add(staffMember('admin', `Admin${randomUUID().slice(0, 6)}`), {
			name: 'Borough council',
			issuer,
			clientId: 'onedoor',
			clientSecret: 'client secret',
			emailDomains: ['service.example.test'],
			agencyId: null
		});
		if (!added.ok) throw new Error('organisation not added');
		return organisations.active(added.id)!;
	}

	/** A request from `address`, as SvelteKit gives the routes, to `path` with the browser's cookies. */
	function request(address: string, path: string, cookies = cookieJar()) {
		const cookie = [...cookies.values].map(([name, value]) => `${name}=${value}`).join('; ');
		return {
			url: new URL(path, 'http://localhost'),
			request: new Request('http://localhost/', { headers: { cookie } }),
			cookies,
			getClientAddress: () => address
		} as unknown as RequestEvent;
	}

	/**
	 * One whole trip: the start sends the browser to the provider, where `email` signs in; the
	 * provider sends it back to the callback with a code for a token naming that email.
	 */
	async function signInAs(org: ReturnType<typeof organisation>, email: string, address: string) {
		const browser = cookieJar();
		const to = await start(request(address, '/', browser), org);
		if (!to) throw new Error('did not start');
		const asked = new URL(to).searchParams;
		const code = randomUUID();
		issued.set(
			code,
			await idToken({ claims: { sub: `subject-of-${email}`, email, nonce: asked.get('nonce')! } })
		);
		const back = `/sign-in/organisation/callback/${org.id}?code=${code}&state=${asked.get('state')}`;
		return finish(request(address, back, browser), org);
	}

	/** What the sign-in page the browser is sent back to says. */
	function pageSays(finished: Awaited<ReturnType<typeof finish>>) {
		if (finished.ok) return null;
		const until = finished.reason === 'lockedOut' ? finished.until : undefined;
		const page = refusedPage('staff', finished.reason, until);
		const data = signInLoad('staff')({
			locals: {},
			url: new URL(page, 'http://localhost')
		} as RequestEvent);
		return data.refusal && fixedT('en')(messageKey(data.refusal), data.refusalParams);
	}

	it('tell someone refused again and again to wait, and match nothing meanwhile', async () => {
		const org = organisation();
		const email = 'new.starter@service.example.test';
		for (let i = 0; i < rateLimit.limits.guesser; i++) {
			expect(await signInAs(org, email, stranger)).toEqual({ ok: false, reason: 'unknownAccount' });
		}
		vi.useFakeTimers({ toFake: ['Date'] });
		const locked = await signInAs(org, email, stranger);
		expect(locked).toMatchObject({ ok: false, reason: 'lockedOut' });
		expect(pageSays(locked)).toMatch(/^Too many tries\. You can try again after \d\d:\d\d$/);
		// Even once the account exists, this address waits: nothing is matched or bound.
		const account = database()
			.insert(users)
			.values({ role: 'caseworker', email })
			.returning({ id: users.id })
			.get();
		const subjectOf = () =>
			database().select().from(users).where(eq(users.id, account.id)).get()?.oidcSubject;
		expect(await signInAs(org, email, stranger)).toMatchObject({ reason: 'lockedOut' });
		expect(subjectOf()).toBeNull();
		// Elsewhere the account is only slowed, like a password's (half a minute), then it opens.
		expect(await signInAs(org, email, home)).toMatchObject({ reason: 'lockedOut' });
		vi.setSystemTime(Date.now() + rateLimit.backoff.firstSeconds * 1000 + 1000);
		expect(await signInAs(org, email, home)).toEqual({ ok: true, role: 'caseworker' });
		expect(subjectOf()).toBe(`subject-of-${email}`);
	});

	it('tell a browser sending forged callbacks to wait, before any trip to the organisation', async () => {
		const org = organisation();
		const forged = `/sign-in/organisation/callback/${org.id}?code=stolen&state=forged`;
		for (let i = 0; i < rateLimit.limits.guesser; i++) {
			expect(await finish(request(stranger, forged), org)).toEqual({ ok: false, reason: 'failed' });
		}
		const locked = await finish(request(stranger, forged), org);
		expect(locked).toMatchObject({ ok: false, reason: 'lockedOut' });
		expect(pageSays(locked)).toMatch(/^Too many tries/);
		// The start asks first: this address is not sent to the organisation at all.
		expect(waitUntil(request(stranger, '/'), org)).toBeInstanceOf(Date);
		// Someone else, elsewhere, is not slowed by what this browser did.
		expect(waitUntil(request(home, '/'), org)).toBeNull();
		expect(await signInAs(org, 'sam@service.example.test', home)).toEqual({
			ok: false,
			reason: 'unknownAccount'
		});
	});
});
