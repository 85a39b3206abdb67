// A real OpenID Connect provider on 127.0.0.1 for the browser suite (the `oidc-provider` package,
// certified by the OpenID Foundation), standing in for an organisation's Entra ID or Google
// Workspace. Its sign-in page asks only for a login, which is the account: `someone@domain` signs
// in as that email (verified); `someone@domain|other` as the same email with another subject;
// `someone@domain|unverified` with an email the provider has not verified. No password: the
// provider's own checks are not what OneDoor's tests are about.
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
// @ts-expect-error oidc-provider ships no types of its own (we installed no @types for a test server).
import Provider from 'oidc-provider';

const issuer = process.env.ISSUER;
const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingKey = {
	...(await exportJWK(privateKey)),
	kid: 'e2e-signing-key',
	alg: 'RS256',
	use: 'sig'
};

/**
 * The claims for a login: the email before any `|`, the whole login as the subject.
 * @param {string} login
 */
function account(login) {
	const email = login.split('|')[0] ?? login;
	return {
		accountId: login,
		claims: () => ({
			sub: login,
			email,
			email_verified: !login.endsWith('|unverified'),
			name: email.split('@')[0]
		})
	};
}

const provider = new Provider(issuer, {
	clients: [
		{
			client_id: process.env.CLIENT_ID,
			client_secret: process.env.CLIENT_SECRET,
			redirect_uris: [process.env.REDIRECT_URI],
			grant_types: ['authorization_code'],
			response_types: ['code'],
			token_endpoint_auth_method: 'client_secret_basic'
		}
	],
	jwks: { keys: [signingKey] },
	cookies: { keys: ['e2e provider cookie key'] },
	claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
	// Email in the id token itself, as Entra ID and Google put it there.
	conformIdTokenClaims: false,
	features: { devInteractions: { enabled: false } },
	interactions: {
		url: (/** @type {unknown} */ _ctx, /** @type {{ uid: string }} */ interaction) =>
			`/interaction/${interaction.uid}`
	},
	findAccount: (/** @type {unknown} */ _ctx, /** @type {string} */ id) => account(id)
});

const page = (/** @type {string} */ uid) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test organisation sign-in</title></head>
<body><main><h1>Test organisation</h1>
<form method="post" action="/interaction/${uid}">
<label for="login">Work account</label> <input id="login" name="login" required>
<button type="submit">Sign in to the test organisation</button>
</form></main></body></html>`;

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} uid
 */
async function interaction(req, res, uid) {
	const details = await provider.interactionDetails(req, res);
	if (req.method === 'GET') {
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		res.end(page(uid));
		return;
	}
	let body = '';
	for await (const chunk of req) body += chunk;
	const login = new URLSearchParams(body).get('login')?.trim() ?? '';
	// Signed in and agreed at once: an organisation's own staff app needs no consent screen.
	const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
	grant.addOIDCScope(String(details.params.scope));
	const grantId = await grant.save();
	await provider.interactionFinished(
		req,
		res,
		{ login: { accountId: login, amr: ['pwd'] }, consent: { grantId } },
		{ mergeWithLastSubmission: false }
	);
}

const handle = provider.callback();
createServer((req, res) => {
	const uid = /^\/interaction\/([\w-]+)$/.exec(req.url ?? '')?.[1];
	if (!uid) return handle(req, res);
	interaction(req, res, uid).catch((error) => {
		res.writeHead(400, { 'content-type': 'text/plain' });
		res.end(String(error));
	});
}).listen(Number(process.env.PORT), '127.0.0.1');
