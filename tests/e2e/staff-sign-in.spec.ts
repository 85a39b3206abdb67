import { expect } from '@playwright/test';
import { expectAccessible, test } from './helpers';
import { demoStaff, staffPage, totp, wrongCode } from './staff';

test('staff sign in with a password and a code; the second factor cannot be skipped @once', async ({
	page
}) => {
	await page.goto('/staff/sign-in');
	await expectAccessible(page);
	await page.getByLabel('Work email').fill(demoStaff.supervisor.email);
	await page.getByLabel('Password').fill('demo staff password');
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page).toHaveURL(/\/staff\/verify$/);
	await expectAccessible(page);
	// Half signed in: the console is still closed.
	await page.goto('/staff');
	await expect(page).toHaveURL(/\/staff\/verify$/);
	await page.getByLabel('Code').fill(wrongCode(demoStaff.supervisor.secret));
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toContainText('That code is not right');
	await expectAccessible(page);
});

test('a wrong password is refused with a clear message @once', async ({ page }) => {
	await page.goto('/staff/sign-in');
	await page.getByLabel('Work email').fill(demoStaff.caseworker.email);
	await page.getByLabel('Password').fill('not the password');
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page.getByRole('alert')).toContainText('The email or password is not right');
});

test('an admin adds a caseworker, who enrols a second factor; a code works once; deactivation ends their session @once', async ({
	browser
}) => {
	const page = await staffPage(browser, 'admin');
	await page.goto('/staff');
	const email = `new.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@onedoor.test`;
	await page.getByRole('link', { name: 'Staff accounts' }).click();
	await expectAccessible(page);
	await page.getByLabel('Email', { exact: true }).fill(email);
	await page.getByLabel('Name').fill('Robin');
	await page.getByLabel('caseworker', { exact: true }).check();
	await page.getByLabel('First password').fill('a first password for robin');
	await page.getByRole('button', { name: 'Add staff member' }).click();
	await expect(page.getByRole('status')).toContainText('Staff member added.');
	await expect(page.getByRole('cell', { name: email, exact: true })).toBeVisible();

	const other = await browser.newContext();
	const robin = await other.newPage();
	await robin.goto('/staff/sign-in');
	await robin.getByLabel('Work email').fill(email);
	await robin.getByLabel('Password').fill('a first password for robin');
	await robin.getByRole('button', { name: 'Continue' }).click();
	await expect(robin).toHaveURL(/\/staff\/enrol$/);
	await expect(
		robin.getByRole('img', { name: 'QR code for your authenticator app' })
	).toBeVisible();
	await expectAccessible(robin);
	const secret = (await robin.locator('figcaption code').textContent())!.trim();
	const code = totp(secret);
	// The password they were given, again: whoever got here another way has not shown it.
	await robin.getByLabel('The password you were given').fill('not what robin was given');
	await robin.getByLabel('6-digit code from the app').fill(code);
	await robin.getByLabel('Choose your own password').fill('robin chose this one');
	await robin.getByLabel('Type your new password again').fill('robin chose this one');
	await robin.getByRole('button', { name: 'Finish setting up' }).click();
	await expect(robin.getByRole('alert')).toContainText('Enter the password you were given');
	// Their own password replaces the one the admin chose: not the same one, typed twice alike.
	await robin.getByLabel('The password you were given').fill('a first password for robin');
	await robin.getByLabel('6-digit code from the app').fill(code);
	await robin.getByLabel('Choose your own password').fill('a first password for robin');
	await robin.getByLabel('Type your new password again').fill('a first password for robin');
	await robin.getByRole('button', { name: 'Finish setting up' }).click();
	await expect(robin.getByRole('alert')).toContainText('not the one you were given');
	await robin.getByLabel('The password you were given').fill('a first password for robin');
	await robin.getByLabel('6-digit code from the app').fill(code);
	await robin.getByLabel('Choose your own password').fill('robin chose this one');
	await robin.getByLabel('Type your new password again').fill('robin chose this one too');
	await robin.getByRole('button', { name: 'Finish setting up' }).click();
	await expect(robin.getByRole('alert')).toContainText('The two passwords are not the same');
	// No refusal spent the code.
	await robin.getByLabel('The password you were given').fill('a first password for robin');
	await robin.getByLabel('6-digit code from the app').fill(code);
	await robin.getByLabel('Choose your own password').fill('robin chose this one');
	await robin.getByLabel('Type your new password again').fill('robin chose this one');
	await robin.getByRole('button', { name: 'Finish setting up' }).click();
	await expect(robin.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
	await expect(robin.locator('.recovery-codes li')).toHaveCount(8);
	await robin.getByRole('link', { name: 'Continue to the console' }).click();
	await expect(robin).toHaveURL(/\/staff$/);

	// The password the admin chose no longer opens the account; Robin's own does. The same code
	// a second time, from a second browser, is refused.
	const again = await (await browser.newContext()).newPage();
	await again.goto('/staff/sign-in');
	await again.getByLabel('Work email').fill(email);
	await again.getByLabel('Password').fill('a first password for robin');
	await again.getByRole('button', { name: 'Continue' }).click();
	await expect(again.getByRole('alert')).toContainText('The email or password is not right');
	await again.getByLabel('Work email').fill(email);
	await again.getByLabel('Password').fill('robin chose this one');
	await again.getByRole('button', { name: 'Continue' }).click();
	await again.getByLabel('Code').fill(code);
	await again.getByRole('button', { name: 'Sign in' }).click();
	await expect(again.getByRole('alert')).toContainText('already been used');

	await page.reload();
	const row = page.getByRole('row').filter({ hasText: email });
	await row.getByRole('button', { name: /Deactivate/ }).click();
	await expect(page.getByRole('row').filter({ hasText: email })).toContainText('Deactivated');
	await robin.goto('/staff');
	await expect(robin).toHaveURL(/\/staff\/sign-in$/);
	await other.close();
});

test('a password alone never reaches an enrolled second factor, by the enrolment page or its action @once', async ({
	page
}) => {
	await page.goto('/staff/sign-in');
	await page.getByLabel('Work email').fill(demoStaff.caseworker.email);
	await page.getByLabel('Password').fill('demo staff password');
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page).toHaveURL(/\/staff\/verify$/);
	// The enrolment page sends an enrolled account to the second factor, and shows no key.
	await page.goto('/staff/enrol');
	await expect(page).toHaveURL(/\/staff\/verify$/);
	// Posting a wrong code straight to the enrolment action (as an attacker would) reveals nothing.
	for (const accept of ['text/html', 'application/json']) {
		const response = await page.request.post('/staff/enrol', {
			form: { code: '000000' },
			headers: { accept, origin: new URL(page.url()).origin },
			maxRedirects: 0
		});
		const body = await response.text();
		expect(body).not.toContain(demoStaff.caseworker.secret);
		expect(body).not.toContain('<svg');
		expect([303, 200]).toContain(response.status());
		if (response.status() === 303) expect(response.headers()['location']).toBe('/staff/verify');
		else expect(body).toContain('/staff/verify');
	}
	// Still half signed in: the console stays closed.
	await page.goto('/staff');
	await expect(page).toHaveURL(/\/staff\/verify$/);
});
