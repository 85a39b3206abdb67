// Every Auth.js import lives in src/lib/server/auth/ so the library can be swapped (DESIGN).
import { clientAddress } from '$lib/server/http/client-address';
import { Auth, raw, skipCSRFCheck, type AuthConfig } from '@auth/core';
import type { OIDCConfig } from '@auth/core/providers';
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import * as audit from '$lib/server/audit';
import { config } from '$lib/server/config';
import { open } from '$lib/server/crypto';
import { cookieSecret, setSessionCookie } from './authjs';
import { match, recordRefusal, type IdentityClaims, type Matched } from './organisation-accounts';
import type { Organisation } from './organisations';
import * as rateLimit from './rate-limit';
import * as sessions from './sessions';

/**
 * Where the flow's own addresses live: Auth.js is given this as its base path, so the provider
 * sends the browser back to `/sign-in/organisation/callback/<organisation id>`, a route of ours
 * that hands the request to Auth.js (its own /auth/* endpoints stay closed to browsers).
 */
const basePath = '/sign-in/organisation';

/** The address an organisation's administrator registers as the redirect URI for OneDoor. */
export function redirectUri(orgId: string): string {
	return new URL(`${basePath}/callback/${encodeURIComponent(orgId)}`, config().origin).href;
}

const secure = () => config().origin.protocol === 'https:';

/**
 * The PKCE verifier, state and nonce Auth.js keeps for the trip to the provider and back: sent
 * only to the callback, SameSite=Lax so the provider's top-level redirect back carries them.
 */
const checkCookies = {
	pkceCodeVerifier: 'od.oidc.pkce',
	state: 'od.oidc.state',
	nonce: 'od.oidc.nonce'
} as const;
const checkCookieNames = new Set<string>(Object.values(checkCookies));

function checkCookieOptions() {
	return {
		httpOnly: true,
		sameSite: 'lax',
		path: `${basePath}/callback/`,
		secure: secure()
	} as const;
}

/** Auth.js's OpenID Connect provider for one organisation: PKCE, state and nonce all checked. */
function provider(org: Organisation): OIDCConfig<Record<string, unknown>> {
	const secret = org.clientSecretSealed ? open(org.clientSecretSealed) : null;
	return {
		id: org.id,
		name: org.name,
		type: 'oidc',
		issuer: org.issuer,
		clientId: org.clientId,
		...(secret
			? { clientSecret: secret }
			: { client: { token_endpoint_auth_method: 'none' as const } }),
		checks: ['pkce', 'state', 'nonce'],
		authorization: { params: { scope: 'openid email profile' } }
	};
}

function authConfig(
	org: Organisation,
	decide: (account: { id_token?: string }, profile: Record<string, unknown>) => Promise<string>
): AuthConfig & { raw: typeof raw } {
	return {
		raw,
		trustHost: true,
		// Only our own routes call this: the start is a same-origin form post (checked by Fetch
		// Metadata in hooks.server.ts), and the callback is protected by state, PKCE and nonce.
		skipCSRFCheck,
		secret: [cookieSecret()],
		basePath,
		session: { strategy: 'jwt' },
		cookies: Object.fromEntries(
			Object.entries(checkCookies).map(([key, name]) => [
				key,
				{ name, options: checkCookieOptions() }
			])
		),
		providers: [provider(org)],
		// One line, never a URL or a token (DESIGN rule 9): which step failed and why.
		logger: {
			error: (error) =>
				console.error(`Organisation sign-in with ${org.name} failed: ${describe(error)}`),
			warn: () => {},
			debug: () => {}
		},
		callbacks: {
			// Always a path of ours, never `true`: Auth.js then makes no cookie of its own; the
			// session is ours, started from the decision made here.
			signIn: ({ account, profile }) => decide(account ?? {}, profile ?? {})
		}
	};
}

function describe(error: Error): string {
	const cause = (error as { cause?: { err?: Error } }).cause?.err;
	return cause ? `${error.name}: ${cause.name} ${cause.message}` : `${error.name} ${error.message}`;
}

/** Copies the check cookies Auth.js set onto the response; no other cookie of its own. */
function applyCheckCookies(
	cookies: Cookies,
	set: { name: string; value: string; options?: { maxAge?: number; expires?: Date } }[] = []
) {
	for (const cookie of set) {
		if (!checkCookieNames.has(cookie.name)) continue;
		if (!cookie.value) cookies.delete(cookie.name, checkCookieOptions());
		else cookies.set(cookie.name, cookie.value, { ...checkCookieOptions(), maxAge: 15 * 60 });
	}
}

/** Starts signing in with an organisation: the address of its provider's sign-in page. */
export async function start(event: RequestEvent, org: Organisation): Promise<string | null> {
	const request = new Request(new URL(`${basePath}/signin/${org.id}`, config().origin), {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: ''
	});
	try {
		const answer = await Auth(
			request,
			authConfig(org, () => Promise.resolve('/'))
		);
		if (!answer.redirect) return null;
		applyCheckCookies(event.cookies, answer.cookies);
		return answer.redirect;
	} catch (error) {
		console.error(
			`Organisation sign-in with ${org.name} could not start: ${describe(error as Error)}`
		);
		return null;
	}
}

/**
 * Keys to check id tokens' signatures with, per issuer, from its published JWKS (jose fetches
 * them again when a token names a key it has not seen: the provider rotated its keys).
 */
const keySets = new Map<string, JWTVerifyGetKey>();

async function keysOf(issuer: string): Promise<JWTVerifyGetKey> {
	const known = keySets.get(issuer);
	if (known) return known;
	const discovery = new URL(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
	const answer = await fetch(discovery, { signal: AbortSignal.timeout(10_000) });
	if (!answer.ok) throw new Error(`discovery answered ${answer.status}`);
	const metadata = (await answer.json()) as { jwks_uri?: unknown };
	if (typeof metadata.jwks_uri !== 'string') throw new Error('no jwks_uri in discovery');
	const keys = createRemoteJWKSet(new URL(metadata.jwks_uri));
	keySets.set(issuer, keys);
	return keys;
}

/**
 * Checks the id token's signature against the issuer's published keys, with its issuer,
 * audience and expiry again. Auth.js (oauth4webapi) checks the claims, state, PKCE and nonce,
 * but not the signature of a token fetched over TLS (which OpenID Connect Core 3.1.3.7 allows);
 * we want a token a man in the middle of a misconfigured proxy could not have written.
 */
export async function verifiedClaims(
	org: Pick<Organisation, 'issuer' | 'clientId'>,
	idToken: string | undefined
) {
	if (!idToken) throw new Error('no id token');
	const { payload } = await jwtVerify(idToken, await keysOf(org.issuer), {
		issuer: [org.issuer, `${org.issuer}/`],
		audience: org.clientId,
		requiredClaims: ['sub', 'exp', 'iat']
	});
	return payload;
}

export type Finished =
	| { ok: true; role: sessions.Role }
	| { ok: false; reason: Extract<Matched, { ok: false }>['reason'] }
	| { ok: false; reason: 'lockedOut'; until: Date };

/**
 * When this browser's address may try signing in with the organisation again, if it has been
 * refused too often; otherwise null. Asked before sending it to the organisation at all.
 */
export function waitUntil(event: RequestEvent, org: Pick<Organisation, 'id'>): Date | null {
	return rateLimit.organisationWaitUntil(org.id, clientAddress(event));
}

function lockedOut(org: Pick<Organisation, 'name'>, until: Date): Finished {
	audit.record('sign_in_locked_out', null, { detail: `organisation sign-in with ${org.name}` });
	return { ok: false, reason: 'lockedOut', until };
}

/**
 * Finishes signing in with an organisation when its provider sends the browser back: Auth.js
 * checks state, PKCE and nonce and exchanges the code; we check the id token's signature, match
 * the existing account (organisation-accounts.ts) and start a session that still needs our own
 * second factor. A refusal is recorded in the audit trail, changes no account, and counts against
 * the address and the email named like a wrong password (rate-limit.ts): past the limit, the
 * browser is told to wait and nothing is matched.
 */
export async function finish(event: RequestEvent, org: Organisation): Promise<Finished> {
	const address = clientAddress(event);
	const spendChecks = () => {
		// The check cookies are spent whatever happened (Auth.js clears them only on success): a
		// second callback must start again.
		for (const name of checkCookieNames) event.cookies.delete(name, checkCookieOptions());
	};
	const waiting = rateLimit.organisationWaitUntil(org.id, address);
	if (waiting) {
		spendChecks();
		return lockedOut(org, waiting);
	}
	const callback = new URL(`${basePath}/callback/${org.id}`, config().origin);
	callback.search = event.url.search;
	const request = new Request(callback, {
		headers: { cookie: event.request.headers.get('cookie') ?? '' }
	});
	let matched: Matched | undefined;
	// The email the organisation vouched for, once its token is checked; and if that email is
	// past its limit, when it may try again.
	let named: string | undefined;
	let namedWaits: Date | undefined;
	const decide = async (account: { id_token?: string }, profile: Record<string, unknown>) => {
		try {
			const claims = await verifiedClaims(org, account.id_token);
			// The claims Auth.js validated and the ones whose signature we checked are one token's.
			if (claims.sub !== profile.sub) throw new Error('id token and profile differ');
			// An email the organisation has not verified is nobody's to count against.
			if (typeof claims.email === 'string' && claims.email_verified === true) {
				named = claims.email;
			}
			namedWaits = rateLimit.organisationWaitUntil(org.id, address, named) ?? undefined;
			if (!namedWaits) matched = match(org, claims as unknown as IdentityClaims);
		} catch (error) {
			console.error(
				`Organisation sign-in with ${org.name}: id token refused: ${describe(error as Error)}`
			);
			matched = { ok: false, reason: 'failed' };
		}
		return '/';
	};
	try {
		await Auth(request, authConfig(org, decide));
	} catch {
		// Logged by the config's logger: a wrong state, a refused code, a bad token.
	}
	spendChecks();
	if (namedWaits) return lockedOut(org, namedWaits);
	const outcome = matched ?? { ok: false, reason: 'failed' };
	const attempt = rateLimit.organisationAttempt(org.id, address, named);
	if (!outcome.ok) {
		recordRefusal(org, outcome);
		rateLimit.fail(attempt);
		return { ok: false, reason: outcome.reason };
	}
	rateLimit.succeed(attempt);
	// Our own second factor still follows, whatever the organisation's token says about how its
	// person signed in: `amr` is optional (Google Workspace sends none) and no organisation is yet
	// marked as one whose multi-factor sign-in we have checked and trust.
	const { grant } = sessions.start(outcome.userId, { secondFactorPending: true });
	await setSessionCookie(event, grant);
	return { ok: true, role: outcome.role };
}

/** The sign-in page (which shows a refusal) and the second-factor page, per audience. */
export const pages = {
	staff: { signIn: '/staff/sign-in', secondFactor: '/staff/verify' },
	partner: { signIn: '/partner/sign-in', secondFactor: '/partner/verify' }
} as const;
export type Audience = keyof typeof pages;

/** Whose sign-in an organisation is for: our own staff's, or a partner agency's workers'. */
export const audienceOf = (org: Pick<Organisation, 'agencyId'>): Audience =>
	org.agencyId === null ? 'staff' : 'partner';

/** The sign-in page showing why an organisation's sign-in was refused (and, locked out, until when). */
export function refusedPage(audience: Audience, reason: string, until?: Date): string {
	const query = new URLSearchParams({ organisation: reason });
	if (until) query.set('until', String(until.getTime()));
	return `${pages[audience].signIn}?${query}`;
}
