import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { dismissExitNotice, languages, test } from './helpers';
import { messages } from './messages';
import { newPerson } from './people';

// Public content pages are the same for everyone who is not signed in, so they are kept: in
// server.js's memory, compressed once, and by any browser or shared cache for a few minutes. What
// a person must never notice: a notice they dismissed coming back, someone else's account on their
// page, or their own account on someone else's.

const en = messages('en');
const contentPages = ['/', '/safety', '/help', '/privacy', '/accessibility', '/offline'];
const courtPages = ['', '/before', '/day', '/after', '/rights', '/glossary'].map(
	(p) => `/court${p}`
);
const urlOf = (prefix: string, path: string) =>
	prefix + (path === '/' && prefix ? '' : path) || '/';
const returning = { cookie: 'od_exit_notice=seen' };
const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };
/** The headers that keep a page safe; a kept copy must carry them exactly as the first did. */
const safetyHeaders = [
	'content-security-policy',
	'referrer-policy',
	'x-content-type-options',
	'x-frame-options',
	'cross-origin-opener-policy',
	'cross-origin-resource-policy',
	'permissions-policy'
];
/** The header's account links, shown only to a signed-in person. */
const accountLinks = `aria-label="${en.common.account.label}"`;

for (const { code, prefix } of languages) {
	test(`every public content page in ${code} may be kept, and a kept copy is the same page @once`, async ({
		request
	}) => {
		for (const path of [...contentPages, ...courtPages]) {
			const url = urlOf(prefix, path);
			for (const headers of [{}, returning]) {
				const first = await request.get(url, { headers });
				const again = await request.get(url, { headers });
				for (const response of [first, again]) {
					expect(response.status(), url).toBe(200);
					expect(response.headers()['cache-control'], url).toBe('public, max-age=300');
					expect(response.headers()['vary'], url).toMatch(/Accept-Encoding, Cookie/);
				}
				expect(await again.text(), url).toBe(await first.text());
				for (const name of safetyHeaders) {
					expect(again.headers()[name], `${url} ${name}`).toBe(first.headers()[name]);
				}
				// One copy for a first visit, with the notice about leaving quickly; one without.
				if (headers === returning)
					expect(await first.text(), url).not.toContain('exit-notice-title');
				else expect(await first.text(), url).toContain('exit-notice-title');
			}
		}
	});
}

test('pages of a journey or an account are never marked for shared caches @once', async ({
	request
}) => {
	for (const path of ['/refer', '/refer/safe-now', '/sign-in', '/pl/sign-in', '/staff/sign-in']) {
		const response = await request.get(path, { headers: returning });
		expect(response.status(), path).toBe(200);
		expect(response.headers()['cache-control'] ?? '', path).not.toContain('public');
	}
});

test('a browser that takes brotli gets a brotli page that reads as the page, every time @once', async ({
	request
}) => {
	const plain = await request.get('/ar/court/day', { headers: { 'accept-encoding': 'identity' } });
	expect(plain.headers()['content-encoding']).toBeUndefined();
	for (const attempt of ['first', 'again']) {
		const br = await request.get('/ar/court/day', { headers: { 'accept-encoding': 'br' } });
		expect(br.headers()['content-encoding'], attempt).toBe('br');
		// Playwright decodes what the server encoded: the text is the page itself.
		expect(await br.text(), attempt).toBe(await plain.text());
	}
	// Every other page is compressed as it is rendered.
	const signIn = await request.get('/sign-in', { headers: { 'accept-encoding': 'gzip' } });
	expect(signIn.headers()['content-encoding']).toBe('gzip');
	expect(await signIn.text()).toContain(en.signIn.submit);
});

test('HEAD answers a kept page with its headers and no body @once', async ({ request }) => {
	const page = await request.get('/court', { headers: { 'accept-encoding': 'identity' } });
	const head = await request.head('/court', { headers: { 'accept-encoding': 'identity' } });
	expect(head.status()).toBe(200);
	expect(head.headers()['content-type']).toMatch(/^text\/html/);
	expect(head.headers()['cache-control']).toBe('public, max-age=300');
	expect(head.headers()['content-length']).toBe(String((await page.body()).length));
	expect((await head.body()).length).toBe(0);
});

/** Signs a person in on this request context, as the sign-in form would. */
async function signInOver(
	request: APIRequestContext,
	person: { reference: string; passphrase: string }
) {
	const signedIn = await request.post('/sign-in', {
		data: new URLSearchParams(person).toString(),
		headers: form,
		maxRedirects: 0
	});
	expect(signedIn.status()).toBe(303);
	expect(signedIn.headers()['location']).toBe('/my');
}

test('a signed-in page is never kept, and never given to anyone else @once', async ({
	playwright,
	request
}) => {
	const person = await newPerson();
	const anonymous = async () => {
		const response = await request.get('/help', { headers: returning });
		expect(response.headers()['cache-control']).toBe('public, max-age=300');
		expect(await response.text()).not.toContain(accountLinks);
	};
	await anonymous();
	await anonymous();

	const theirs = await playwright.request.newContext({ baseURL });
	await signInOver(theirs, person);
	// No cookie header of our own here: Playwright would send it instead of the session's.
	for (const attempt of ['first', 'again']) {
		const response = await theirs.get('/help');
		expect(response.headers()['cache-control'], attempt).toBe('no-store');
		expect(await response.text(), attempt).toContain(accountLinks);
	}
	await anonymous();
	await theirs.dispose();
});

test('a page seen while a referral is open is never kept @once', async ({ request }) => {
	await request.get('/help', { headers: returning });
	await request.post('/refer/account', {
		data: new URLSearchParams({ account: 'Something private' }).toString(),
		headers: form
	});
	const cookies = (await request.storageState()).cookies;
	expect(cookies.map((cookie) => cookie.name)).toContain('od_referral');
	const help = await request.get('/help');
	expect(help.headers()['cache-control']).toBe('no-store');
});

/** The first-visit notice about leaving quickly, in Polish. */
const noticeOn = (page: Page) =>
	page.getByRole('heading', { name: messages('pl').common.exitNotice.title });

test('the first-visit notice shows until dismissed, though the page is kept for everyone', async ({
	page,
	browser
}) => {
	await page.goto('/pl/help');
	await expect(noticeOn(page)).toBeVisible();
	// Seen twice: the second is the kept copy, in this browser's cache or the server's memory.
	await page.reload();
	await expect(noticeOn(page)).toBeVisible();
	await page.getByRole('button', { name: messages('pl').common.exitNotice.dismiss }).click();
	await expect(page).toHaveURL(/\/pl\/help$/);
	await expect(noticeOn(page)).toHaveCount(0);
	await page.goto('/pl/help');
	await expect(noticeOn(page)).toHaveCount(0);
	// Someone else's first visit still explains the quick exit.
	const someoneElse = await browser.newPage();
	await someoneElse.goto('/pl/help');
	await expect(noticeOn(someoneElse)).toBeVisible();
});

test('a signed-in person sees their own account on a public page, and only they do @once', async ({
	page,
	browser
}) => {
	const person = await newPerson();
	const account = (on: Page) => on.getByRole('navigation', { name: en.common.account.label });
	await dismissExitNotice(page);
	// Kept first for visitors who are not signed in, in this browser's cache too.
	const before = await page.goto('/help');
	expect(before?.headers()['cache-control']).toBe('public, max-age=300');
	await expect(account(page)).toHaveCount(0);

	await page.goto('/sign-in');
	await page.getByLabel(en.signIn.reference).fill(person.reference);
	await page.getByLabel(en.signIn.passphrase).fill(person.passphrase);
	await page.getByRole('button', { name: en.signIn.submit }).click();
	await expect(page).toHaveURL(/\/my$/);
	const signedIn = await page.goto('/help');
	expect(signedIn?.headers()['cache-control']).toBe('no-store');
	await expect(account(page).getByRole('link', { name: en.common.account.myCase })).toBeVisible();

	const someoneElse = await browser.newPage();
	await someoneElse.goto('/help');
	await expect(someoneElse.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(account(someoneElse)).toHaveCount(0);

	await account(page).getByRole('button', { name: en.common.account.signOut }).click();
	await page.goto('/help');
	await expect(account(page)).toHaveCount(0);
});

test('a portal page’s messages come in a script any cache keeps for a year; only a page’s own are served @once', async ({
	playwright
}) => {
	const person = await newPerson();
	const theirs = await playwright.request.newContext({ baseURL });
	await signInOver(theirs, person);
	const page = await theirs.get('/pl/my');
	expect(page.headers()['cache-control']).toBe('no-store');
	const html = await page.text();
	const src = /<script src="(\/i18n\/pl\/[^"]+\.js)"><\/script>/.exec(html)?.[1];
	expect(src, 'the page names its messages’ script').toBeDefined();
	// The page carries an id, not the messages: none of their keys is in it.
	expect(html).toContain(`app.decode('PageMessages', "pl|common,errors,my")`);
	expect(html).not.toContain('skipLink');

	const anonymous = await playwright.request.newContext({ baseURL });
	for (const encoding of ['br', 'gzip', 'identity']) {
		// Whoever asks, signed in or not, gets the same script.
		for (const context of [theirs, anonymous]) {
			const script = await context.get(src!, { headers: { 'accept-encoding': encoding } });
			expect(script.status(), encoding).toBe(200);
			expect(script.headers()['content-type']).toBe('text/javascript; charset=utf-8');
			expect(script.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
			expect(script.headers()['content-encoding']).toBe(
				encoding === 'identity' ? undefined : encoding
			);
			expect(script.headers()['set-cookie']).toBeUndefined();
			// Playwright decodes what the server encoded: the Polish messages themselves.
			const text = await script.text();
			expect(text).toContain('skipLink');
			expect(text).toContain(messages('pl').my.messages.label);
		}
	}
	// Another hash is messages this server does not have; another set of namespaces is none a
	// page sends, which the server will not make.
	for (const wrong of [
		src!.replace(/\.[0-9a-z]+\.js$/, '.0000000000.js'),
		src!.replace('common,errors,my', 'my,common,errors'),
		src!.replace('/pl/', '/xx/')
	]) {
		expect((await anonymous.get(wrong)).status(), wrong).toBe(404);
	}
	await theirs.dispose();
	await anonymous.dispose();
});
