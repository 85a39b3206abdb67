import { expect, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { hashSecret } from '$lib/server/auth/passwords';
import { secondFactorLimit } from '$lib/server/auth/rate-limit';
import { database } from '$lib/server/db';
import { users } from '$lib/server/db/schema';
import { expectAccessible, test } from './helpers';
import { waitForMail } from './mail';
import { caseworker, workEmail } from './organisations';
import { newPartnerWorker, signInPartner } from './partners';
import { connect, retrying } from './people';
import { staffPage, totp, wrongCode } from './staff';

const given = 'the password I have now';
const chosen = 'a brand new password of mine';

/** Password, then a code (each code is accepted once: a second sign-in needs the next one). */
async function signIn(page: Page, email: string, password: string, code: string) {
	await page.goto('/staff/sign-in');
	await page.getByLabel('Work email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page).toHaveURL(/\/staff\/verify$/);
	await page.getByLabel('Code').fill(code);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/staff$/);
}

async function changePassword(page: Page, current: string, next: string) {
	await page.getByLabel('Your current password').fill(current);
	await page.getByLabel('New password', { exact: true }).fill(next);
	await page.getByLabel('Type your new password again').fill(next);
	await page.getByRole('button', { name: 'Change password' }).click();
}

test('a caseworker changes their password: other browsers are signed out, the old password stops working, and an email says so', async ({
	page,
	browser
}) => {
	const email = workEmail('changer');
	const { secret } = await caseworker(email, { secretHash: await hashSecret(given) });
	await signIn(page, email, given, totp(secret));
	// The same worker, signed in on another computer (someone who knew the password, say).
	const elsewhere = await (await browser.newContext()).newPage();
	await signIn(elsewhere, email, given, totp(secret, 1));

	await page.getByRole('link', { name: 'Password', exact: true }).click();
	await expect(page).toHaveURL(/\/staff\/password$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Change your password');
	await expectAccessible(page);

	// A wrong current password changes nothing, and says which field is wrong.
	await changePassword(page, 'not my password at all', chosen);
	await expect(page.getByRole('alert')).toContainText('That is not your current password');
	await expect(page.getByLabel('Your current password')).toHaveValue('');
	await expectAccessible(page);

	await changePassword(page, given, chosen);
	await expect(page.getByRole('status')).toContainText('Your password has been changed');
	await expect(page.getByLabel('New password', { exact: true })).toHaveValue('');

	// This browser carries on; the other is signed out.
	await page.goto('/staff');
	await expect(page).toHaveURL(/\/staff$/);
	await elsewhere.goto('/staff');
	await expect(elsewhere).toHaveURL(/\/staff\/sign-in$/);

	// The old password is refused; the new one leads on to the code.
	await elsewhere.getByLabel('Work email').fill(email);
	await elsewhere.getByLabel('Password').fill(given);
	await elsewhere.getByRole('button', { name: 'Continue' }).click();
	await expect(elsewhere.getByRole('alert')).toContainText('The email or password is not right');
	await elsewhere.getByLabel('Password').fill(chosen);
	await elsewhere.getByRole('button', { name: 'Continue' }).click();
	await expect(elsewhere).toHaveURL(/\/staff\/verify$/);
	await elsewhere.context().close();

	const mail = await waitForMail(email);
	expect(mail.subject).toBe('Your OneDoor password was changed');
	expect(mail.text).toContain('staff console account was changed on');
	expect(mail.text).not.toContain(chosen);
});

test('a partner worker changes their password in the partner area', async ({ page }) => {
	const worker = await newPartnerWorker('shelter', 'Pat');
	await signInPartner(page, worker);
	await page.getByRole('link', { name: 'Password', exact: true }).click();
	await expect(page).toHaveURL(/\/partner\/password$/);
	await expectAccessible(page);

	// The new password must differ from the one it replaces.
	await changePassword(page, worker.password, worker.password);
	await expect(page.getByRole('alert')).toContainText(
		'Choose a new password, not the one you have now'
	);
	await changePassword(page, worker.password, chosen);
	await expect(page.getByRole('status')).toContainText('Your password has been changed');

	const mail = await waitForMail(worker.email);
	expect(mail.text).toContain('partner area account was changed on');
	expect(mail.text).toContain('/partner/sign-in');
});

test('an admin resets a caseworker who lost their phone: they are signed out, and set up again at their next sign-in', async ({
	page,
	browser
}) => {
	const email = workEmail('lostphone');
	const { secret } = await caseworker(email, { secretHash: await hashSecret(given) });
	await signIn(page, email, given, totp(secret));

	const admin = await staffPage(browser, 'admin');
	await admin.goto('/staff/admin');
	const reset = admin.locator('form', {
		has: admin.getByRole('button', { name: 'Reset sign-in' })
	});
	// A first password too short is refused, and nothing is reset.
	await reset.getByLabel('Whose sign-in').selectOption({ label: email });
	await reset.getByLabel('Password to give them in person').fill('too short');
	await reset.getByRole('button', { name: 'Reset sign-in' }).click();
	await expect(admin.getByRole('alert')).toContainText('The first password must be 12 to 256');
	await page.goto('/staff');
	await expect(page).toHaveURL(/\/staff$/);

	await reset.getByLabel('Whose sign-in').selectOption({ label: email });
	await reset.getByLabel('Password to give them in person').fill(chosen);
	await reset.getByRole('button', { name: 'Reset sign-in' }).click();
	await expect(admin.getByRole('status')).toContainText('Sign-in reset');
	await expectAccessible(admin);
	await admin.context().close();

	// Signed out at once; the old password no longer works, the first one leads to setting up.
	await page.goto('/staff');
	await expect(page).toHaveURL(/\/staff\/sign-in$/);
	await page.getByLabel('Work email').fill(email);
	await page.getByLabel('Password').fill(chosen);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page).toHaveURL(/\/staff\/enrol$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Set up your second factor');

	const mail = await waitForMail(email);
	expect(mail.subject).toBe('Your OneDoor sign-in was reset');
	expect(mail.text).not.toContain(chosen);
});

test('a partner-admin resets a colleague’s sign-in on their team page', async ({
	page,
	browser
}) => {
	const manager = await newPartnerWorker('shelter', 'Rae', true);
	const colleague = await newPartnerWorker('shelter', 'Ode');
	const theirs = await (await browser.newContext()).newPage();
	await signInPartner(theirs, colleague);

	await signInPartner(page, manager);
	await page.goto('/partner/team');
	const reset = page.locator('form', { has: page.getByRole('button', { name: 'Reset sign-in' }) });
	// Their own name is not offered: they change their own password instead.
	await expect(reset.getByRole('option', { name: manager.email })).toHaveCount(0);
	await reset.getByLabel('Whose sign-in').selectOption({ label: `Ode Jones (${colleague.email})` });
	await reset.getByLabel('Password to give them in person').fill(chosen);
	await reset.getByRole('button', { name: 'Reset sign-in' }).click();
	await expect(page.getByRole('status')).toContainText('Sign-in reset');

	await theirs.goto('/partner');
	await expect(theirs).toHaveURL(/\/partner\/sign-in$/);
	await theirs.context().close();
	const mail = await waitForMail(colleague.email);
	expect(mail.text).toContain('partner area sign-in was reset on');
});

/** Sets how many wrong codes in a row a worker has given, as a patient guesser would have. */
async function wrongCodesInARow(userId: string, failures: number) {
	connect();
	await retrying(() =>
		database()
			.update(users)
			.set({ secondFactorFailures: failures })
			.where(eq(users.id, userId))
			.run()
	);
}

test('the wrong code that makes too many in a row switches a caseworker’s codes off, until an admin resets their sign-in @once', async ({
	page,
	browser
}) => {
	const email = workEmail('guessed');
	const { id, secret } = await caseworker(email, { secretHash: await hashSecret(given) });
	await wrongCodesInARow(id, secondFactorLimit - 1);
	await page.goto('/staff/sign-in');
	await page.getByLabel('Work email').fill(email);
	await page.getByLabel('Password').fill(given);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page).toHaveURL(/\/staff\/verify$/);
	await page.getByLabel('Code').fill(wrongCode(secret));
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your codes no longer work');
	await expect(page.getByRole('main')).toContainText('Ask an admin to reset your sign-in');
	// Nowhere left to type the right code.
	await expect(page.getByLabel('Code')).toHaveCount(0);
	await expectAccessible(page, 'codes off');
	const mail = await waitForMail(email);
	expect(mail.subject).toBe('Codes no longer work for your OneDoor account');
	expect(mail.text).toContain('entered too many wrong codes in a row');
	// The one way on: signing out, back to the sign-in page.
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/staff\/sign-in$/);

	const admin = await staffPage(browser, 'admin');
	await admin.goto('/staff/admin');
	await expect(admin.getByRole('row').filter({ hasText: email })).toContainText(
		'Codes switched off after too many wrong ones'
	);
	const reset = admin.locator('form', {
		has: admin.getByRole('button', { name: 'Reset sign-in' })
	});
	await reset.getByLabel('Whose sign-in').selectOption({ label: email });
	await reset.getByLabel('Password to give them in person').fill(chosen);
	await reset.getByRole('button', { name: 'Reset sign-in' }).click();
	await expect(admin.getByRole('status')).toContainText('Sign-in reset');
	await expect(admin.getByRole('row').filter({ hasText: email })).toContainText('Not yet set up');
	await admin.context().close();

	// Set up again from the start, with the password the admin gave.
	await page.goto('/staff/sign-in');
	await page.getByLabel('Work email').fill(email);
	await page.getByLabel('Password').fill(chosen);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page).toHaveURL(/\/staff\/enrol$/);
	// Not yet enrolled, there are no codes to try: a code posted all the same is not counted.
	const posted = await page.request.post('/staff/verify', {
		form: { code: '123456' },
		headers: { accept: 'text/html', origin: new URL(page.url()).origin },
		maxRedirects: 0
	});
	expect(posted.status()).toBe(303);
	expect(posted.headers()['location']).toBe('/staff/enrol');
});

test('a partner worker whose codes are off is told at the code step whom to ask, and the agency’s page shows it @once', async ({
	page,
	browser
}) => {
	const worker = await newPartnerWorker('shelter', 'Kit');
	await wrongCodesInARow(worker.userId, secondFactorLimit);
	await page.goto('/partner/sign-in');
	await page.getByLabel('Work email').fill(worker.email);
	await page.getByLabel('Password').fill(worker.password);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page).toHaveURL(/\/partner\/verify$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your codes no longer work');
	await expect(page.getByRole('main')).toContainText(
		"Ask your agency's partner admin, or our admins, to reset your sign-in"
	);
	await expect(page.getByLabel('Code')).toHaveCount(0);
	// A code posted all the same is not checked, and changes nothing.
	const response = await page.request.post('/partner/verify', {
		form: { code: totp(worker.secret) },
		headers: { accept: 'text/html', origin: new URL(page.url()).origin },
		maxRedirects: 0
	});
	expect(response.status()).toBe(403);
	expect(await response.text()).toContain('Your codes no longer work');
	await page.goto('/partner');
	await expect(page).toHaveURL(/\/partner\/verify$/);

	const admin = await staffPage(browser, 'admin');
	await admin.goto('/staff/admin/partners/shelter');
	await expect(admin.getByRole('row').filter({ hasText: worker.email })).toContainText(
		'Codes switched off after too many wrong ones'
	);
	await admin.context().close();
});
