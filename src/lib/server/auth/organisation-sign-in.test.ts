import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifiedClaims } from './organisation-sign-in';

// An issuer's published keys on 127.0.0.1, as an organisation's provider serves them: the id
// token's signature is checked against these, whatever Auth.js already checked.
let server: Server;
let issuer: string;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;

beforeAll(async () => {
	const published = await generateKeyPair('RS256', { extractable: true });
	signingKey = published.privateKey;
	({ privateKey: strangerKey } = await generateKeyPair('RS256'));
	const publicKey = published.publicKey;
	const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
	server = createServer((req, res) => {
		res.setHeader('content-type', 'application/json');
		if (req.url === '/.well-known/openid-configuration') {
			res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
		} else if (req.url === '/jwks') {
			res.end(JSON.stringify({ keys: [jwk] }));
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
