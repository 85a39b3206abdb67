import { Agent, request as httpRequest } from 'node:http';
import { expect, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { baseURL, databasePath } from '../../playwright.config';
import { locales } from '../../src/lib/i18n/locales';
import { dismissExitNotice, expectAccessible, test } from './helpers';
import { messages } from './messages';

const en = messages('en');
const ar = messages('ar');
const pl = messages('pl');

test('bad answers get a 400 with a translated message and change nothing @once', async ({
	request
}) => {
	const cases: [string, Record<string, string>, string][] = [
		['/refer/safe-now', { safeNow: 'maybe' }, en.refer.errors.safeNow],
		[
			'/ar/refer/what-happened',
			{ crimeType: 'burglary', when: 'week', date: '2999-01-01' },
			ar.refer.errors.date
		],
		[
			'/refer/police',
			{ police: 'reported', crimeReference: '<b>x</b>' },
			en.refer.errors.crimeReference
		],
		['/refer/account', { account: 'x'.repeat(10_001) }, en.refer.errors.accountTooLong],
		['/refer/contact', { channels: 'email', email: 'not-an-email' }, en.refer.errors.email],
		[
			'/refer/passphrase',
			{ passphrase: 'x'.repeat(129), confirm: '' },
			en.refer.errors.passphraseTooLong
		]
	];
	for (const [path, form, message] of cases) {
		const response = await request.post(path, { form, headers: { accept: 'text/html' } });
		expect(response.status(), path).toBe(400);
		expect(await response.text(), path).toContain(message.replace(/'/g, '&#39;'));
		// Nothing was kept: no draft was started for this browser.
		expect(response.headers()['set-cookie'] ?? '', path).not.toContain('od_referral');
	}
	expect((await request.storageState()).cookies.map((c) => c.name)).not.toContain('od_referral');
});

test('the start page says, in each language, that answers unused for an hour are deleted @once', async ({
	request
}) => {
	for (const { code } of locales) {
		const words = messages(code).refer.start.idle.replace('{{minutes}}', '60');
		const start = await (await request.get(code === 'en' ? '/refer' : `/${code}/refer`)).text();
		expect(start, code).toContain(words);
	}
});

test('a step sent after the draft was deleted says so on the next page, in the person’s language @once', async ({
	request
}) => {
	const html = { accept: 'text/html' };
	await request.post('/pl/refer/safe-now', { form: { safeNow: 'safe' }, headers: html });
	const draft = (await request.storageState()).cookies.find((c) => c.name === 'od_referral');
	// An hour passes without use: the server deletes the answers at the next request.
	const db = new Database(databasePath);
	db.prepare('update referral_drafts set expires_at = ? where id = ?').run(
		Date.now() - 1,
		draft!.value
	);
	db.close();
	const late = await request.post('/pl/refer/who', {
		form: { who: 'victim' },
		headers: html,
		maxRedirects: 0
	});
	expect(late.status()).toBe(303);
	const next = late.headers()['location']!;
	expect(next).toMatch(/^\/pl\/refer\/[a-z-]+\?expired$/);
	const page = await (await request.get(next)).text();
	expect(page).toContain(pl.refer.draftExpired.replace('{{minutes}}', '60'));
	// Without the flag, the same page says nothing of it.
	const plain = await (await request.get(next.replace('?expired', ''))).text();
	expect(plain).not.toContain(pl.refer.draftExpired.replace('{{minutes}}', '60'));
	// The first question has nothing before it to lose: starting again says nothing either.
	const latest = (await request.storageState()).cookies.find((c) => c.name === 'od_referral');
	const again = new Database(databasePath);
	again
		.prepare('update referral_drafts set expires_at = ? where id = ?')
		.run(Date.now() - 1, latest!.value);
	again.close();
	const first = await request.post('/pl/refer/safe-now', {
		form: { safeNow: 'safe' },
		headers: html,
		maxRedirects: 0
	});
	expect(first.headers()['location']).toBe('/pl/refer/who');
});

test('the notices that earlier answers were deleted, or a form not saved, pass axe @once', async ({
	page
}) => {
	await dismissExitNotice(page);
	const notice = pl.refer.draftExpired.replace('{{minutes}}', '60');
	for (const path of ['/pl/refer/who?expired', '/pl/refer/check?expired']) {
		await page.goto(path);
		await expect(page.getByRole('status').filter({ hasText: notice })).toBeVisible();
		await expectAccessible(page, path);
	}
	await page.goto('/ar/sign-in?unsent');
	await expect(page.getByRole('status').filter({ hasText: ar.signIn.unsent })).toBeVisible();
	await expectAccessible(page, 'sign-in, unsent');
});

test('a body over the size limit gets a clear 413 @once', async ({ request }) => {
	const response = await request.post('/refer/account', {
		form: { account: 'x'.repeat(300 * 1024) },
		headers: { accept: 'text/html' }
	});
	expect(response.status()).toBe(413);
	expect(await response.text()).toContain(en.refer.errors.tooLarge);
});

test('after a body answered unread (too large, or sent to a page that needs signing in), the same connection still answers the next request @once', async () => {
	// A browser keeps its connection open and sends the next request on it (sending the form
	// again, going back): a body answered unread was left on the connection, which was then reset.
	const agent = new Agent({ keepAlive: true, maxSockets: 1 });
	const { origin, hostname, port } = new URL(baseURL);
	const send = (path: string, body: string) =>
		new Promise<{ status?: number; text: string } | { error: string }>((settle) => {
			const sent = httpRequest(
				{
					agent,
					host: hostname,
					port,
					path,
					method: 'POST',
					headers: {
						origin,
						'sec-fetch-site': 'same-origin',
						accept: 'text/html',
						'content-type': 'application/x-www-form-urlencoded',
						'content-length': Buffer.byteLength(body)
					}
				},
				(response) => {
					let text = '';
					response.on('data', (chunk) => (text += chunk));
					response.on('end', () => settle({ status: response.statusCode, text }));
				}
			);
			sent.on('error', (error: NodeJS.ErrnoException) => settle({ error: String(error.code) }));
			// As an upload arrives: piece by piece, still sending while the server answers.
			let at = 0;
			const next = () => {
				if (at >= body.length) return void sent.end();
				sent.write(body.slice(at, (at += 16 * 1024)));
				setImmediate(next);
			};
			next();
		});
	try {
		const tooLarge = 'account=' + 'x'.repeat(300 * 1024);
		for (const attempt of [1, 2]) {
			const answer = await send('/refer/account', tooLarge);
			expect(answer, `attempt ${attempt}`).toMatchObject({ status: 413 });
			expect('text' in answer && answer.text).toContain(en.refer.errors.tooLarge);
		}
		// A note posted to the console by a browser no longer signed in: sent to sign in, unread.
		const note = 'note=' + 'x'.repeat(100 * 1024);
		for (const attempt of [1, 2]) {
			const answer = await send('/staff/cases/AAAA-AAAA?/addNote', note);
			expect(answer, `note ${attempt}`).toMatchObject({ status: 303 });
		}
	} finally {
		agent.destroy();
	}
});

// The whole journey done with the keyboard alone is referral.spec.ts's English walk.

test('the passphrase step, sign-in and the safety page warn against letting the browser save it', async ({
	page
}) => {
	// The browser offers to save a new passphrase as the step is sent; a saved one names the site.
	await dismissExitNotice(page);
	await page.goto('/refer/passphrase');
	await expect(page.getByText(en.refer.passphrase.saving)).toBeVisible();
	await page.goto('/safety');
	await expect(
		page.getByRole('listitem').filter({ hasText: 'If your browser offers to save your passphrase' })
	).toBeVisible();
	await page.goto('/pl/refer/passphrase');
	await expect(page.getByText(pl.refer.passphrase.saving)).toBeVisible();
	// The browser offers the same again once a person signs in.
	await page.goto('/sign-in');
	await expect(page.getByText(en.signIn.saving)).toBeVisible();
});

test('the passphrase strength is shown as it is typed @js', async ({ page }) => {
	await dismissExitNotice(page);
	await page.goto('/refer/passphrase');
	const field = page.getByLabel(en.refer.passphrase.label, { exact: true });
	await field.fill('abc');
	const levels = en.refer.passphrase.levels;
	await expect(page.locator('[data-strength]')).toHaveText(`Strength: ${levels[0]}`);
	await field.fill('purple kettle river moon');
	await expect(page.locator('[data-strength]')).toHaveText(`Strength: ${levels[4]}`);
});

/**
 * A slow phone: the page's own scripts (and any framework script) arrive only when `release` is
 * called, so a person can start typing first.
 */
async function holdScripts(page: Page): Promise<() => void> {
	let release = () => {};
	const released = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/**/*.js', async (route) => {
		await released;
		await route.continue();
	});
	return release;
}

test('a story typed before the page has finished loading is kept and saved', async ({ page }) => {
	await dismissExitNotice(page);
	const release = await holdScripts(page);
	const story = 'He phoned and said he was from the bank, then he called again.';
	await page.goto('/refer/account', { waitUntil: 'commit' });
	const field = page.getByLabel(en.refer.account.label);
	await field.fill(story);
	release();
	await page.waitForLoadState('load');
	await expect(field).toHaveValue(story);
	await page.getByRole('button', { name: en.refer.continue }).click();
	await expect(page).not.toHaveURL(/\/refer\/account$/);
	await page.goto('/refer/account');
	await expect(page.getByLabel(en.refer.account.label)).toHaveValue(story);
});

test('the strength meter reads a passphrase typed before its script arrived @js', async ({
	page
}) => {
	await dismissExitNotice(page);
	const release = await holdScripts(page);
	await page.goto('/refer/passphrase', { waitUntil: 'commit' });
	const field = page.getByLabel(en.refer.passphrase.label, { exact: true });
	await field.fill('purple kettle river moon');
	release();
	await page.waitForLoadState('load');
	await expect(field).toHaveValue('purple kettle river moon');
	const meter = page.locator('[data-strength]');
	await expect(meter).toHaveText(`Strength: ${en.refer.passphrase.levels[4]}`);
	await expect(meter).toHaveAttribute('aria-live', 'polite');
	await field.fill('');
	await expect(meter).toHaveText('');
});

test('a weak passphrase is refused with the reason', async ({ page }) => {
	await dismissExitNotice(page);
	await page.goto('/refer/passphrase');
	await page.getByLabel(en.refer.passphrase.label, { exact: true }).fill('abcdefghij');
	await page.getByLabel(en.refer.passphrase.confirm).fill('abcdefghij');
	await page.getByRole('button', { name: en.refer.continue }).click();
	await expect(page.getByRole('alert')).toContainText(en.refer.errors.passphraseWeak);
	// The passphrase is never sent back into the page.
	await expect(page.getByLabel(en.refer.passphrase.label, { exact: true })).toHaveValue('');
});
