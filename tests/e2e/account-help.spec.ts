import { expect } from '@playwright/test';
import { expectAccessible, test } from './helpers';
import { messages } from './messages';
import { newPerson } from './people';
import { staffPage } from './staff';

const en = messages('en');

test('a locked person is unlocked and given a reset code by staff, then chooses a new passphrase @once', async ({
	browser
}) => {
	const person = await newPerson();
	// The person locks their account.
	const mine = await (await browser.newContext()).newPage();
	await mine.goto('/sign-in');
	await mine.getByLabel(en.signIn.reference).fill(person.reference);
	await mine.getByLabel(en.signIn.passphrase).fill(person.passphrase);
	await mine.getByRole('button', { name: en.signIn.submit }).click();
	await mine.goto('/my/settings');
	await mine.getByRole('button', { name: en.my.settings.lock }).click();

	// A supervisor finds the case, unlocks it and issues a reset code.
	const page = await staffPage(browser, 'supervisor');
	await page.goto('/staff');
	await page.getByRole('link', { name: /Help a person sign in/ }).click();
	await page.getByLabel('Case reference').fill(person.reference);
	await page.getByRole('button', { name: 'Find' }).click();
	await expect(page.getByText('This account is locked.')).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Unlock the account' }).click();
	await expect(page.getByRole('status')).toContainText('The account is unlocked');
	await page.getByRole('button', { name: 'Issue a reset code' }).click();
	const code = (await page.locator('.reference').textContent())!.trim();
	expect(code).toMatch(/^[A-Z0-9]{8}$/);

	// The person uses it once to choose a new passphrase.
	await mine.goto('/sign-in/reset');
	await expectAccessible(mine);
	await mine.getByLabel(en.signIn.reference).fill(person.reference);
	await mine.getByLabel(en.signIn.reset.code).fill(code.toLowerCase());
	await mine
		.getByLabel(en.refer.passphrase.label, { exact: true })
		.fill('brand new lantern harbour');
	await mine.getByLabel(en.refer.passphrase.confirm).fill('brand new lantern harbour');
	await mine.getByRole('button', { name: en.signIn.reset.submit }).click();
	await expect(mine.getByText(en.signIn.reset.done)).toBeVisible();
	await mine.getByLabel(en.signIn.reference).fill(person.reference);
	await mine.getByLabel(en.signIn.passphrase).fill('brand new lantern harbour');
	await mine.getByRole('button', { name: en.signIn.submit }).click();
	await expect(mine).toHaveURL(/\/my$/);

	// The code worked once.
	await mine.goto('/sign-in/reset');
	await mine.getByLabel(en.signIn.reference).fill(person.reference);
	await mine.getByLabel(en.signIn.reset.code).fill(code);
	await mine.getByLabel(en.refer.passphrase.label, { exact: true }).fill('another lantern harbour');
	await mine.getByLabel(en.refer.passphrase.confirm).fill('another lantern harbour');
	await mine.getByRole('button', { name: en.signIn.reset.submit }).click();
	await expect(mine.getByRole('alert')).toContainText(en.signIn.errors.resetCode);
});

test('a caseworker who is not the named contact cannot act for the person @once', async ({
	browser
}) => {
	const person = await newPerson();
	const page = await staffPage(browser, 'caseworker');
	const response = await page.goto(`/staff/people?reference=${person.reference}`);
	expect(response?.status()).toBe(403);
});
