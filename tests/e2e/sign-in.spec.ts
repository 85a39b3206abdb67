import { expect, type Page } from '@playwright/test';
import { dismissExitNotice, expectAccessible, test } from './helpers';
import { baseURL } from '../../playwright.config';
import { messages } from './messages';
import { longConversation, newPerson } from './people';
import { newReference } from '../../src/lib/referral/reference';

const en = messages('en');

async function signIn(page: Page, reference: string, passphrase: string, prefix = '') {
	await dismissExitNotice(page);
	await page.goto(`${prefix}/sign-in`);
	await page.getByLabel(en.signIn.reference).fill(reference);
	await page.getByLabel(en.signIn.passphrase).fill(passphrase);
	await page.getByRole('button', { name: en.signIn.submit }).click();
}

test('a person signs in with their reference and passphrase and sees their case', async ({
	page
}) => {
	const person = await newPerson();
	await expectAccessibleSignIn(page);
	await signIn(page, person.reference.toLowerCase().replace('-', ' '), person.passphrase);
	await expect(page).toHaveURL(/\/my$/);
	await expect(page.getByText(person.reference)).toBeVisible();
	await expect(page.getByText(en.my.status.new)).toBeVisible();
	await expect(page.getByText(en.my.timeline.referral_received)).toBeVisible();
	await expectAccessible(page);
	const response = await page.request.get('/my');
	expect(response.headers()['cache-control']).toBe('no-store');
	await page.getByRole('link', { name: en.my.settingsLink }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.my.settings.heading);
	await expectAccessible(page);
});

async function expectAccessibleSignIn(page: Page) {
	await dismissExitNotice(page);
	await page.goto('/sign-in');
	await expectAccessible(page);
}

test('a wrong passphrase and an unknown reference get the same answer', async ({ page }) => {
	const person = await newPerson();
	await signIn(page, person.reference, 'not the right one at all');
	await expect(page.getByRole('alert')).toContainText(en.signIn.errors.invalid);
	await expectAccessible(page);
	// A well-formed reference that belongs to nobody.
	await signIn(page, newReference(), 'not the right one at all');
	await expect(page.getByRole('alert')).toContainText(en.signIn.errors.invalid);
	await signIn(page, 'not a reference', 'x');
	await expect(page.getByRole('alert')).toContainText(en.signIn.errors.reference);
});

test('the portal is only for a signed-in person @once', async ({ page }) => {
	for (const path of ['/my', '/my/settings', '/pl/my', '/ar/my/settings']) {
		await page.goto(path);
		await expect(page, path).toHaveURL(/\/sign-in$/);
	}
});

test('each person sees only their own case @once', async ({ page, browser }) => {
	const a = await newPerson();
	const b = await newPerson('another long passphrase here');
	await signIn(page, a.reference, a.passphrase);
	await expect(page.getByText(a.reference)).toBeVisible();
	await expect(page.getByText(b.reference)).toHaveCount(0);
	const other = await browser.newPage();
	await signIn(other, b.reference, b.passphrase);
	await expect(other.getByText(b.reference)).toBeVisible();
	await expect(other.getByText(a.reference)).toHaveCount(0);
	await other.close();
});

test('signing out ends the session on the server: a copied cookie stops working', async ({
	page,
	browser
}) => {
	const person = await newPerson();
	await signIn(page, person.reference, person.passphrase);
	await expect(page).toHaveURL(/\/my$/);
	const copied = await page.context().cookies();
	await page.getByRole('button', { name: en.common.account.signOut }).click();
	await expect(page).toHaveURL(new RegExp(`^${baseURL}/$`));
	const thief = await browser.newContext();
	await thief.addCookies(copied);
	const stolen = await thief.newPage();
	await stolen.goto('/my');
	await expect(stolen).toHaveURL(/\/sign-in$/);
	await thief.close();
});

test('locking the account signs out and blocks sign-in', async ({ page }) => {
	const person = await newPerson();
	await signIn(page, person.reference, person.passphrase);
	await page.goto('/my/settings');
	await page.getByRole('button', { name: en.my.settings.lock }).click();
	await expect(page).toHaveURL(/\/sign-in\?locked$/);
	await expect(page.getByText(en.signIn.locked)).toBeVisible();
	await signIn(page, person.reference, person.passphrase);
	await expect(page.getByRole('alert')).toContainText(en.signIn.errors.accountLocked);
});

test('too many wrong tries lock sign-in and say when to try again @once', async ({ request }) => {
	const real = (await newPerson()).reference;
	for (const reference of [real, newReference()]) {
		let last = await request.post('/sign-in', {
			form: { reference, passphrase: 'wrong' },
			headers: { accept: 'text/html' }
		});
		for (let i = 0; i < 5; i++) {
			last = await request.post('/sign-in', {
				form: { reference, passphrase: 'wrong' },
				headers: { accept: 'text/html' }
			});
		}
		expect(last.status()).toBe(429);
		expect(await last.text()).toMatch(
			/Too many tries\. For your safety, you can try again after \d\d:\d\d/
		);
	}
});

test('quick exit ends the signed-in session @js', async ({ page }) => {
	const person = await newPerson();
	await signIn(page, person.reference, person.passphrase);
	await expect(page).toHaveURL(/\/my$/);
	await page.getByRole('button', { name: /Quick exit/ }).click();
	await expect(page).toHaveTitle('Weather');
	await page.goto('/my');
	await expect(page).toHaveURL(/\/sign-in$/);
});

test('a warning before the idle timeout lets the person stay signed in @js', async ({ page }) => {
	const person = await newPerson();
	await page.clock.install();
	await signIn(page, person.reference, person.passphrase);
	await expect(page).toHaveURL(/\/my$/);
	// The countdown starts when the page's script runs; moving the clock before that moves nothing.
	await expect(page.locator('.session-timeout[data-counting]')).toBeAttached();
	await page.clock.fastForward('18:30');
	const warning = page.getByRole('alert');
	await expect(warning).toContainText('you will be signed out in 2 minutes');
	await expectAccessible(page);
	await warning.getByRole('button', { name: en.my.timeout.extend }).click();
	await expect(warning).toBeEmpty();
});

test('each portal page opened starts the countdown again and brings the new-message count; the warning stays in sight @js', async ({
	page
}) => {
	const person = await newPerson();
	await page.setViewportSize({ width: 360, height: 560 });
	await page.clock.install();
	await signIn(page, person.reference, person.passphrase);
	await expect(page).toHaveURL(/\/my$/);
	await expect(page.locator('.session-timeout[data-counting]')).toBeAttached();
	// Fifteen quiet minutes (the count of new messages is asked for meanwhile: none), a reply
	// arrives, then another page of the portal: the session is in use again.
	await page.clock.fastForward('15:00');
	await longConversation(person.reference, 2);
	const nav = page.getByRole('navigation', { name: en.my.nav.label });
	await nav.getByRole('link', { name: en.my.nav.details }).click();
	await expect(page).toHaveURL(/\/my\/details$/);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(nav.getByRole('link', { name: en.my.nav.messages })).toContainText('1 new');
	// Nineteen minutes after signing in, four after that page: no warning, still signed in.
	await page.clock.fastForward('04:00');
	const warning = page.getByRole('alert');
	await expect(warning).toBeEmpty();
	await expect(page).toHaveURL(/\/my\/details$/);
	// Quiet long enough: the warning comes, in sight at the foot of a long page too.
	await page.mouse.wheel(0, 5000);
	await page.clock.fastForward('15:00');
	await expect(warning).toContainText('you will be signed out in');
	await expect(warning).toBeInViewport();
	await expect(page.getByRole('button', { name: /Quick exit/ })).toBeInViewport();
});

test('sign out everywhere ends the sessions on every device @once', async ({ page, browser }) => {
	const person = await newPerson();
	await signIn(page, person.reference, person.passphrase);
	const phone = await (await browser.newContext()).newPage();
	await signIn(phone, person.reference, person.passphrase);
	await expect(phone).toHaveURL(/\/my$/);
	await page.goto('/my/settings');
	await page.getByRole('button', { name: en.my.settings.everywhere }).click();
	await expect(page).toHaveURL(/\/sign-in$/);
	await phone.goto('/my');
	await expect(phone).toHaveURL(/\/sign-in$/);
});

test('signing out tells the browser to clear what it kept @once', async ({ page }) => {
	const person = await newPerson();
	await signIn(page, person.reference, person.passphrase);
	const signOut = page.waitForResponse((r) => r.url().endsWith('/sign-out'));
	await page.getByRole('button', { name: en.common.account.signOut }).click();
	expect((await (await signOut).allHeaders())['clear-site-data']).toBe(
		'"cache", "cookies", "storage"'
	);
});
