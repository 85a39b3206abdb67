import { expect, type Page } from '@playwright/test';
import { testOrganisation } from '../../playwright.config';
import { expectAccessible, test } from './helpers';
import {
	accountByEmail,
	caseworker,
	deactivate,
	refusedSignIns,
	registerTestOrganisation,
	workEmail
} from './organisations';
import { staffPage, totp } from './staff';

test.beforeAll(registerTestOrganisation);

/** From the console's sign-in page, through the test organisation's own sign-in page, back. */
async function signInWithOrganisation(page: Page, login: string) {
	await page.goto('/staff/sign-in');
	await page.getByRole('link', { name: `Sign in with ${testOrganisation.name}` }).click();
	await expect(page.getByRole('heading', { name: 'Test organisation' })).toBeVisible();
	await page.getByLabel('Work account').fill(login);
	await page.getByRole('button', { name: 'Sign in to the test organisation' }).click();
}

test('a known account signs in with its organisation, then its code; deactivation ends the session', async ({
	page
}) => {
	const email = workEmail('known');
	const account = await caseworker(email);
	await signInWithOrganisation(page, email);
	// The organisation's sign-in is one factor here; our own code is still asked for.
	await expect(page).toHaveURL(/\/staff\/verify$/);
	await page.goto('/staff');
	await expect(page).toHaveURL(/\/staff\/verify$/);
	await page.getByLabel('Code').fill(totp(account.secret));
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/staff$/);
	await expect(page.getByRole('heading', { name: 'Staff console' })).toBeVisible();
	// The organisation's identity is now bound to the account; nobody new was made.
	expect(accountByEmail(email)).toMatchObject({
		id: account.id,
		oidcIssuer: testOrganisation.issuer,
		oidcSubject: email
	});

	await deactivate(account.id);
	await page.goto('/staff/cases');
	await expect(page).toHaveURL(/\/staff\/sign-in$/);
});

test('an email with no account is refused, and no account is made', async ({ page }) => {
	const email = workEmail('nobody');
	await signInWithOrganisation(page, email);
	await expect(page).toHaveURL(/\/staff\/sign-in\?organisation=unknownAccount$/);
	await expect(page.getByRole('alert')).toContainText(
		'There is no OneDoor account for your work email'
	);
	expect(accountByEmail(email)).toBeUndefined();
});

test('a deactivated account is refused, and the refusal is in the audit trail', async ({
	page
}) => {
	const email = workEmail('gone');
	const account = await caseworker(email, { deactivatedAt: new Date() });
	await signInWithOrganisation(page, email);
	await expect(page.getByRole('alert')).toContainText('Your OneDoor account has been switched off');
	expect(refusedSignIns(account.id)).toEqual([
		{ detail: `organisation sign-in with ${testOrganisation.name}: deactivated` }
	]);
	expect(accountByEmail(email)?.oidcSubject).toBeNull();
});

test('an email outside the organisation’s domains is refused', async ({ page }) => {
	const email = `someone.${Date.now()}@elsewhere.test`;
	await caseworker(email);
	await signInWithOrganisation(page, email);
	await expect(page.getByRole('alert')).toContainText(
		'That organisation cannot sign you in with that email address'
	);
	expect(accountByEmail(email)?.oidcSubject).toBeNull();
});

test('an account bound to one organisation identity refuses another with the same email', async ({
	page
}) => {
	const email = workEmail('bound');
	const account = await caseworker(email, {
		oidcIssuer: testOrganisation.issuer,
		oidcSubject: email
	});
	await signInWithOrganisation(page, `${email}|someone else`);
	await expect(page.getByRole('alert')).toContainText(
		'Your OneDoor account is linked to a different account at your organisation'
	);
	expect(refusedSignIns(account.id)).toEqual([
		{ detail: `organisation sign-in with ${testOrganisation.name}: subjectMismatch` }
	]);
});

test('the refusal is accessible, and its summary leads to the organisation buttons @once', async ({
	page
}) => {
	await page.goto('/staff/sign-in?organisation=unknownAccount');
	await expectAccessible(page, 'organisation refused');
	await page.getByRole('alert').getByRole('link').click();
	await expect(
		page.getByRole('heading', { name: 'Or sign in with your organisation' })
	).toBeFocused();
});

test('a browser refused too often is told, at either door, when it may try again @once', async ({
	page
}) => {
	// Where the callback sends a browser past the limit (organisation-sign-in.test.ts counts the
	// refusals; a run here would lock the suite's one address out of the test organisation).
	const until = Date.now() + 10 * 60_000;
	for (const door of ['staff', 'partner']) {
		await page.goto(`/${door}/sign-in?organisation=lockedOut&until=${until}`);
		await expect(page.getByRole('alert')).toContainText(
			/Too many tries\. You can try again after \d\d:\d\d/
		);
	}
	// A time already past has nothing left to wait for.
	await page.goto(`/staff/sign-in?organisation=lockedOut&until=${Date.now() - 1000}`);
	await expect(page.getByRole('alert')).toHaveCount(0);
	// Nor has a time no lockout lasts to, or none a date can hold ("try again after Invalid Date").
	for (const far of [Date.now() + 86_400_000, 9e15]) {
		await page.goto(`/staff/sign-in?organisation=lockedOut&until=${far}`);
		await expect(page.getByRole('alert')).toHaveCount(0);
	}
});

test('an admin adds an organisation, which staff can then sign in with, and switches it off @once', async ({
	browser
}) => {
	const admin = await staffPage(browser, 'admin');
	await admin.goto('/staff/admin/organisations');
	await expectAccessible(admin);
	const name = `Borough ${Date.now()}`;
	await admin.getByLabel('Organisation').fill(name);
	await admin.getByLabel('Issuer').fill('https://login.example.test/tenant/v2.0');
	await admin.getByLabel('Client ID').fill('client-123');
	await admin.getByLabel('Client secret').fill('a secret never shown again');
	await admin.getByLabel('Email domains').fill('borough.example.test, @Other.Example.test');
	await admin.getByLabel('Our staff').check();
	await admin.getByRole('button', { name: 'Add organisation' }).click();
	await expect(admin.getByRole('status')).toContainText('Organisation added.');
	const row = admin.getByRole('row').filter({ hasText: name });
	await expect(row).toContainText('borough.example.test, other.example.test');
	await expect(row).toContainText('/sign-in/organisation/callback/');
	await expect(admin.getByText('a secret never shown again')).toHaveCount(0);
	await expectAccessible(admin, 'added');

	const visitor = await (await browser.newContext()).newPage();
	await visitor.goto('/staff/sign-in');
	await expect(visitor.getByRole('link', { name: `Sign in with ${name}` })).toBeVisible();

	await row.getByRole('button', { name: `Switch off ${name}` }).click();
	await expect(admin.getByRole('status')).toContainText('Organisation updated.');
	await visitor.reload();
	await expect(visitor.getByRole('link', { name: `Sign in with ${name}` })).toHaveCount(0);
});

test('an issuer that is not https is refused when adding an organisation @once', async ({
	browser
}) => {
	const admin = await staffPage(browser, 'admin');
	await admin.goto('/staff/admin/organisations');
	await admin.getByLabel('Organisation').fill('Plain http');
	await admin.getByLabel('Issuer').fill('http://login.example.test');
	await admin.getByLabel('Client ID').fill('client');
	await admin.getByLabel('Email domains').fill('example.test');
	await admin.getByLabel('Our staff').check();
	await admin.getByRole('button', { name: 'Add organisation' }).click();
	await expect(admin.getByRole('alert')).toContainText(
		'Enter the issuer address, starting https://'
	);
	await expectAccessible(admin, 'refused');
});

test('a callback this browser did not start is refused, and signs nobody in @once', async ({
	page
}) => {
	// What a forged or replayed redirect back from the provider looks like: no state cookie.
	await page.goto(
		`/sign-in/organisation/callback/${testOrganisation.id}?code=stolen&state=forged&iss=${encodeURIComponent(testOrganisation.issuer)}`
	);
	await expect(page).toHaveURL(/\/staff\/sign-in\?organisation=failed$/);
	await expect(page.getByRole('alert')).toContainText(
		'Signing in with your organisation did not work'
	);
	await page.goto('/staff');
	await expect(page).toHaveURL(/\/staff\/sign-in$/);
});
