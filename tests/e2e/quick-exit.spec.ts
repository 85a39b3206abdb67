import { expect, type APIRequestContext } from '@playwright/test';
import Database from 'better-sqlite3';
import { baseURL, databasePath, neutralURL } from '../../playwright.config';
import { dismissExitNotice, test } from './helpers';
import { messages } from './messages';
import { newPerson } from './people';

const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

/** Whether the referral draft with this id is still on the server. */
function draftExists(id: string): boolean {
	const db = new Database(databasePath, { readonly: true, fileMustExist: true });
	const row = db.prepare('select id from referral_drafts where id = ?').get(id);
	db.close();
	return row !== undefined;
}

/** The cookie header the request context holds now, to replay after the exit. */
async function cookieHeader(request: APIRequestContext): Promise<string> {
	const { cookies } = await request.storageState();
	return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

test.describe('quick exit', () => {
	test.beforeEach(async ({ page }) => dismissExitNotice(page));

	test('is a plain link, through our exit route, to the neutral site', async ({ page }) => {
		await page.goto('/safety');
		const exit = page.getByRole('button', { name: /Quick exit/ });
		await expect(exit).toHaveAttribute('href', '/quick-exit');
		await expect(exit).toHaveAttribute('rel', 'nofollow noreferrer');
		await exit.click();
		await expect(page).toHaveURL(neutralURL);
		await expect(page).toHaveTitle('Weather');
	});

	// The safety page promises: it signs you out, deletes the answers not yet sent, and Back does
	// not show them again. Without JavaScript that is the link's own route's job.
	test('a signed-in person who leaves is signed out, and Back or /my shows nothing of the case', async ({
		page
	}) => {
		const en = messages('en');
		const person = await newPerson();
		await page.goto('/sign-in');
		await page.getByLabel(en.signIn.reference).fill(person.reference);
		await page.getByLabel(en.signIn.passphrase).fill(person.passphrase);
		await page.getByRole('button', { name: en.signIn.submit }).click();
		await expect(page).toHaveURL(/\/my$/);
		await expect(page.getByText(person.reference)).toBeVisible();
		await page.getByRole('button', { name: /Quick exit/ }).click();
		await expect(page).toHaveTitle('Weather');
		await page.goBack();
		await expect(page).not.toHaveURL(/\/my$/);
		await expect(page.getByText(person.reference)).toHaveCount(0);
		await page.goto('/my');
		await expect(page).toHaveURL(/\/sign-in$/);
		await expect(page.getByText(person.reference)).toHaveCount(0);
	});

	test('stays in reach when the page scrolls', async ({ page }) => {
		await page.setViewportSize({ width: 375, height: 600 });
		await page.goto('/privacy');
		await page.mouse.wheel(0, 3000);
		await expect(page.getByRole('button', { name: /Quick exit/ })).toBeInViewport();
	});

	test('is reached by keyboard straight after the skip link', async ({ page }) => {
		await page.goto('/');
		await page.keyboard.press('Tab');
		await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
		await page.keyboard.press('Tab');
		await expect(page.getByRole('button', { name: /Quick exit/ })).toBeFocused();
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(neutralURL);
	});

	test('is pressed with Space, as the button it is announced as @js', async ({ page }) => {
		await page.goto('/refer');
		await page.getByRole('button', { name: /Quick exit/ }).focus();
		await page.keyboard.press('Space');
		await expect(page).toHaveURL(neutralURL);
	});
});

test.describe('the quick exit route', () => {
	test('ends the session, deletes the draft, clears the site and redirects, uncached @once', async ({
		request
	}) => {
		const person = await newPerson();
		await request.post('/refer/account', {
			data: new URLSearchParams({ account: 'Something private' }).toString(),
			headers: form
		});
		const draft = (await request.storageState()).cookies.find((c) => c.name === 'od_referral');
		expect(draftExists(draft!.value)).toBe(true);
		// A page seen while a referral is open is never kept by a cache that Back could show.
		const landing = await request.get('/refer');
		expect(landing.headers()['cache-control']).toBe('no-store');
		const signIn = await request.post('/sign-in', {
			data: new URLSearchParams({ ...person }).toString(),
			headers: form,
			maxRedirects: 0
		});
		expect(signIn.status()).toBe(303);
		const before = await cookieHeader(request);
		expect((await request.get('/my', { maxRedirects: 0 })).status()).toBe(200);

		// Cookies that say the site was visited: the exit notice read, the language offer seen,
		// a sign-in link asked for in this browser.
		const traces = 'od_exit_notice=seen; od_language_offer=seen; od_link=browser-id';
		const exit = await request.get('/quick-exit', {
			headers: { cookie: `${before}; ${traces}` },
			maxRedirects: 0
		});
		expect(exit.status()).toBe(303);
		expect(exit.headers()['location']).toBe(neutralURL);
		expect(exit.headers()['cache-control']).toBe('no-store');
		for (const kind of ['cache', 'cookies', 'storage']) {
			expect(exit.headers()['clear-site-data']).toContain(`"${kind}"`);
		}
		// Each cookie the visit left is also dropped by name, for a browser that ignores
		// Clear-Site-Data: the session, the draft, the 90-day device cookie and the traces.
		const dropped = exit
			.headersArray()
			.filter((header) => header.name.toLowerCase() === 'set-cookie')
			.map(({ value }) => value.toLowerCase());
		for (const name of [
			'od.session',
			'od_referral',
			'od_device',
			'od_exit_notice',
			'od_language_offer',
			'od_link'
		]) {
			expect(
				dropped.some(
					(cookie) =>
						cookie.startsWith(`${name}=;`) && /max-age=0|expires=thu, 01 jan 1970/.test(cookie)
				),
				name
			).toBe(true);
		}

		// Even a browser that kept the old cookies reaches nothing: both are dead on the server
		// (at once, or moments later if another test's fixture was writing just then).
		await expect.poll(() => draftExists(draft!.value)).toBe(false);
		await expect
			.poll(async () => {
				const my = await request.get('/my', { headers: { cookie: before }, maxRedirects: 0 });
				return `${my.status()} ${my.headers()['location']}`;
			})
			.toBe('303 /sign-in');
		const step = await request.get('/refer/account', { headers: { cookie: before } });
		expect(await step.text()).not.toContain('Something private');
	});

	test('leaves at once while another writer holds the database, and tidies up once it lets go @once', async ({
		request
	}) => {
		const person = await newPerson();
		await request.post('/refer/account', {
			data: new URLSearchParams({ account: 'Something private' }).toString(),
			headers: form
		});
		const draft = (await request.storageState()).cookies.find((c) => c.name === 'od_referral');
		const signIn = await request.post('/sign-in', {
			data: new URLSearchParams({ ...person }).toString(),
			headers: form,
			maxRedirects: 0
		});
		expect(signIn.status()).toBe(303);
		const before = await cookieHeader(request);

		// Another writer (a script re-sealing the data, say) holds SQLite's write lock meanwhile.
		const writer = new Database(databasePath, { fileMustExist: true });
		writer.exec('begin immediate');
		try {
			const exit = await request.get('/quick-exit', {
				headers: { cookie: before },
				maxRedirects: 0
			});
			expect(exit.status()).toBe(303);
			expect(exit.headers()['location']).toBe(neutralURL);
			// Nothing could be deleted while the lock was held.
			expect(draftExists(draft!.value)).toBe(true);
		} finally {
			writer.exec('rollback');
			writer.close();
		}
		// Once it lets go, the session is ended and the draft deleted all the same.
		await expect.poll(() => draftExists(draft!.value)).toBe(false);
		await expect
			.poll(async () => {
				const my = await request.get('/my', { headers: { cookie: before }, maxRedirects: 0 });
				return my.status();
			})
			.toBe(303);
	});
});

test.describe('quick exit with JavaScript @js', () => {
	test.beforeEach(async ({ page }) => dismissExitNotice(page));

	test('leaves so that Back does not show the page that was left', async ({ page }) => {
		await page.goto('/');
		await page.getByRole('link', { name: 'Staying safe online' }).first().click();
		await expect(page).toHaveURL(/\/safety$/);
		await page.getByRole('button', { name: /Quick exit/ }).click();
		await expect(page).toHaveURL(neutralURL);
		await page.goBack();
		await expect(page).not.toHaveURL(/\/safety$/);
		await expect(page).toHaveURL(new RegExp(`^${baseURL}/$`));
	});

	test('pressing Shift three times leaves, announcing the count', async ({ page }) => {
		await page.goto('/pl/safety');
		const status = page.locator('[data-quick-exit-status]');
		await page.keyboard.press('Shift');
		await expect(status).toHaveAttribute('aria-live', 'polite');
		await expect(status).not.toBeEmpty();
		const first = await status.textContent();
		await page.keyboard.press('Shift');
		await expect(status).not.toHaveText(first ?? '');
		await page.keyboard.press('Shift');
		await expect(page).toHaveURL(neutralURL);
	});

	test('typing a capital letter does not count towards the three Shifts', async ({ page }) => {
		await page.goto('/');
		await page.keyboard.press('Shift');
		await page.keyboard.press('Shift+A');
		await page.keyboard.press('Shift');
		await expect(page).toHaveURL(new RegExp(`^${baseURL}/$`));
	});

	test('leaves from every tab of the site at once, not only the one pressed @js', async ({
		page,
		context
	}) => {
		const other = await context.newPage();
		await other.goto('/pl');
		await other.goto('/pl/court');
		await other.evaluate(() => sessionStorage.setItem('draft', 'something private'));
		await page.goto('/safety');
		await page.getByRole('button', { name: /Quick exit/ }).click();
		await expect(page).toHaveURL(neutralURL);
		await expect(other).toHaveURL(neutralURL);
		await expect(other).toHaveTitle('Weather');
		// As in the tab pressed, Back does not show the page that was left.
		await other.goBack();
		await expect(other).toHaveURL(new RegExp(`^${baseURL}/pl$`));
		expect(await other.evaluate(() => sessionStorage.getItem('draft'))).toBeNull();
	});

	test('clears session storage and tells the server to end the visit', async ({ page }) => {
		await page.goto('/');
		await page.evaluate(() => sessionStorage.setItem('draft', 'something private'));
		await page.getByRole('link', { name: 'Other ways to get help' }).first().click();
		await expect(page).toHaveURL(/\/help$/);
		const beacon = page.waitForRequest(
			(request) => request.url().endsWith('/quick-exit') && request.method() === 'POST'
		);
		await page.getByRole('button', { name: /Quick exit/ }).click();
		await beacon;
		await expect(page).toHaveURL(neutralURL);
		await page.goBack();
		await expect(page).toHaveURL(new RegExp(`^${baseURL}/$`));
		expect(await page.evaluate(() => sessionStorage.getItem('draft'))).toBeNull();
	});
});
