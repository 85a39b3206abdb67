import { expect, type APIResponse } from '@playwright/test';
import { spawn } from 'node:child_process';
import { baseURL } from '../../playwright.config';
import { dismissExitNotice, test } from './helpers';

/** The page scripts' hashed URLs, as a page names them. */
const pageScripts = (html: string) =>
	[...html.matchAll(/<script src="([^"]+)" defer><\/script>/g)].map((match) => match[1]!);

test('every response carries the security headers @once', async ({ request }) => {
	const scripts = pageScripts(await (await request.get('/')).text());
	expect(scripts).toHaveLength(3);
	// Pages, a 404, files; a form's answer (a redirect) and a refused cross-site post: the hooks
	// set none of these headers, server.js sets them on everything it answers.
	/** A referral step's form, posted as a browser posts it, from this site or another. */
	const postStep = (site: 'same-origin' | 'cross-site') => () =>
		request.post('/refer/safe-now', {
			form: { safeNow: 'safe' },
			headers: { 'sec-fetch-site': site, accept: 'text/html' },
			maxRedirects: 0
		});
	const answers: [what: string, answer: () => Promise<APIResponse>, status?: number][] = [
		...['/', '/ar/safety', '/no-such-page', ...scripts].map(
			(path): [string, () => Promise<APIResponse>] => [path, () => request.get(path)]
		),
		['a referral step', postStep('same-origin'), 303],
		['a cross-site post', postStep('cross-site'), 403]
	];
	for (const [path, answer, status] of answers) {
		const response = await answer();
		if (status) expect(response.status(), path).toBe(status);
		const headers = response.headers();
		expect(headers['x-frame-options'], path).toBe('DENY');
		expect(headers['referrer-policy'], path).toBe('no-referrer');
		expect(headers['x-content-type-options'], path).toBe('nosniff');
		expect(headers['permissions-policy'], path).toContain('camera=()');
		// HSTS only when ORIGIN is https; the test server runs on http.
		expect(headers['strict-transport-security'], path).toBeUndefined();
	}
	const csp = (await request.get('/')).headers()['content-security-policy'];
	expect(csp).toContain("object-src 'none'");
	expect(csp).toContain("base-uri 'none'");
	expect(csp).toContain("frame-ancestors 'none'");
	expect(csp).toMatch(/script-src 'self'( 'nonce-[^']+'| 'sha256-[^']+')*;/);
	expect(csp).not.toContain('unsafe-inline');
});

test('a page load makes no request to another origin @once', async ({ page }) => {
	const elsewhere: string[] = [];
	page.on('request', (request) => {
		if (new URL(request.url()).origin !== baseURL) elsewhere.push(request.url());
	});
	for (const path of ['/', '/pl/safety', '/ar/help', '/privacy']) {
		await page.goto(path);
		await page.waitForLoadState('networkidle');
	}
	expect(elsewhere).toEqual([]);
});

test('content pages ship no framework JavaScript, only the three page scripts @once', async ({
	page
}) => {
	await dismissExitNotice(page);
	const scripts: string[] = [];
	page.on('response', (response) => {
		if (response.request().resourceType() === 'script')
			scripts.push(new URL(response.url()).pathname);
	});
	await page.goto('/');
	await page.waitForLoadState('networkidle');
	// The three download side by side, so they arrive in any order.
	expect(scripts.map((path) => path.replace(/\.[\w-]+\.js$/, '.js')).sort()).toEqual([
		'/_app/immutable/assets/error-summary.js',
		'/_app/immutable/assets/offline-app.js',
		'/_app/immutable/assets/quick-exit.js'
	]);
});

test('the referral pages ship no framework JavaScript, only the page scripts @once', async ({
	request
}) => {
	/** The page scripts a page names (by name, without their hash); any other script as it is. */
	const scriptsOf = async (path: string) => {
		const html = await (await request.get(path)).text();
		expect(html, path).not.toContain('modulepreload');
		return [...html.matchAll(/<script\b[^>]*>/g)]
			.map((tag) => /src="\/_app\/immutable\/assets\/([a-z-]+)\./.exec(tag[0])?.[1] ?? tag[0])
			.sort();
	};
	const everyPage = ['error-summary', 'offline-app', 'quick-exit'];
	for (const path of [
		'/refer',
		'/refer/safe-now',
		'/refer/account',
		'/refer/emergency',
		'/pl/refer/who'
	]) {
		expect(await scriptsOf(path), path).toEqual(everyPage);
	}
	// The passphrase meter and the send-once guard: one more small script, on those pages only.
	for (const path of ['/refer/passphrase', '/ar/refer/passphrase', '/refer/check']) {
		expect(await scriptsOf(path), path).toEqual([...everyPage, 'referral-form']);
	}
});

test('the page scripts are named by their content and cached for a year @once', async ({
	request
}) => {
	for (const path of pageScripts(await (await request.get('/ar/help')).text())) {
		expect(path).toMatch(/^\/_app\/immutable\/assets\/[a-z-]+\.[\w-]{8}\.js$/);
		const response = await request.get(path);
		expect(response.status(), path).toBe(200);
		expect(response.headers()['cache-control'], path).toContain('max-age=31536000');
		expect(response.headers()['cache-control'], path).toContain('immutable');
	}
});

function startServer(
	env: Record<string, string>
): Promise<{ code: number | null; stderr: string }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['server.js'], {
			env: { ...process.env, PORT: '4199', DATABASE_PATH: '.e2e/refused.db', ...env }
		});
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => child.kill(), 10_000);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, stderr });
		});
	});
}

test('start-up refuses a bad setting in one clear sentence @once', async () => {
	const { code, stderr } = await startServer({ QUICK_EXIT_URL: 'not a url' });
	expect(code).toBe(1);
	expect(stderr.trim()).toBe(
		'OneDoor cannot start: QUICK_EXIT_URL must be a full http or https address, but it is "not a url".'
	);
});

test('in production, start-up refuses to run without a data key @once', async () => {
	const { code, stderr } = await startServer({
		NODE_ENV: 'production',
		SMTP_URL: 'smtp://127.0.0.1:1',
		DATA_KEY: ''
	});
	expect(code).toBe(1);
	expect(stderr.trim()).toBe(
		'OneDoor cannot start: DATA_KEY is not set: in production the server needs it to protect what people tell us.'
	);
});
