import { expect, type Browser } from '@playwright/test';
import { handleOf } from '../../src/lib/partner-handle';
import { expectAccessible, test } from './helpers';
import { messages } from './messages';
import { newPartnerWorker, sharedWith, signInPartner } from './partners';
import { assignToCaseworker, closeCase, newPerson } from './people';
import { staffPage, totp, wrongCode } from './staff';

const en = messages('en');

test('a partner worker cannot skip the second factor by going to /partner', async ({ page }) => {
	const worker = await newPartnerWorker('shelter', 'Skip');
	await page.goto('/partner');
	await expect(page).toHaveURL(/\/partner\/sign-in$/);
	await page.getByLabel('Work email').fill(worker.email);
	await page.getByLabel('Password').fill(worker.password);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page).toHaveURL(/\/partner\/verify$/);
	// Password given, code not: every page of the area sends them back for the code.
	for (const path of ['/partner', '/partner/team', '/partner/referrals/anything']) {
		await page.goto(path);
		await expect(page).toHaveURL(/\/partner\/verify$/);
	}
	// And the console's own second step is not theirs to finish.
	const consoleVerify = await page.request.get('/staff/verify', { maxRedirects: 0 });
	expect(consoleVerify.status()).toBe(403);
	await page.getByLabel('Code').fill(wrongCode(worker.secret));
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toContainText('That code is not right');
	await page.getByLabel('Code').fill(totp(worker.secret));
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/partner$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Referrals to Shelter');
});

/** A person whose case the demo caseworker holds, with a referral shared with Shelter. */
async function sharedWithShelter(passphrase: string) {
	const person = await newPerson(passphrase);
	await assignToCaseworker(person.reference);
	const summary = `Needs a safe place to live soon ${Date.now()}. Call on weekdays after 6pm.`;
	const id = await sharedWith(person.reference, 'shelter', summary);
	return { person, id, summary };
}

/** The person signs in, in a context of their own, and is on /my. */
async function personPage(browser: Browser, person: { reference: string; passphrase: string }) {
	const mine = await (await browser.newContext()).newPage();
	await mine.goto('/sign-in');
	await mine.getByLabel(en.signIn.reference).fill(person.reference);
	await mine.getByLabel(en.signIn.passphrase).fill(person.passphrase);
	await mine.getByRole('button', { name: en.signIn.submit }).click();
	await expect(mine).toHaveURL(/\/my$/);
	return mine;
}

test('a partner worker sees only their agency’s referrals, and of each only the summary', async ({
	page
}) => {
	const { person, id, summary } = await sharedWithShelter('amber willow harbour kite');
	const other = await newPerson();
	const theirs = await sharedWith(other.reference, 'galop', 'For Galop only: larkspur');
	await signInPartner(page, await newPartnerWorker('shelter', 'Lee'));
	// Their agency's referrals, by a handle of their own: not another agency's, not the case.
	await expect(page.getByRole('link', { name: handleOf(id) })).toBeVisible();
	await expect(page.getByRole('link', { name: handleOf(theirs) })).toHaveCount(0);
	expect(await page.content()).not.toContain(person.reference);
	await expectAccessible(page);

	await page.getByRole('link', { name: handleOf(id) }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Referral ${handleOf(id)}`);
	await expect(page.getByText(summary)).toBeVisible();
	// Only the summary: no case reference, nothing else the person told us.
	const body = await page.content();
	expect(body).not.toContain(person.reference);
	expect(body).not.toContain('larkspur');
	await expectAccessible(page);
});

test('a partner worker accepts a referral naming a worker, and the person is told who', async ({
	browser,
	page
}) => {
	const { person, id } = await sharedWithShelter('amber willow harbour kite');
	await signInPartner(page, await newPartnerWorker('shelter', 'Zebedee'));
	await page.goto(`/partner/referrals/${id}`);
	// Accepting without a name is refused, beside the field.
	await page.getByRole('button', { name: 'Accept the referral' }).click();
	await expect(page.getByRole('alert')).toContainText("Enter the worker's name");
	await page.getByLabel('Name of the worker who will help them').fill('Zebedee');
	await page.getByRole('button', { name: 'Accept the referral' }).click();
	await expect(page.getByRole('status')).toContainText('Referral accepted');
	await expect(page.locator('.facts')).toContainText('Accepted');
	await expect(page.getByRole('button', { name: 'Accept the referral' })).toHaveCount(0);

	const mine = await personPage(browser, person);
	await expect(
		mine.getByText('Shelter has agreed to help you. Your worker there is Zebedee.')
	).toBeVisible();
});

test('the partner worker and the caseworker talk on the referral; the person reads none of it', async ({
	browser,
	page
}) => {
	const { person, id } = await sharedWithShelter('amber willow harbour kite');
	await signInPartner(page, await newPartnerWorker('shelter', 'Mo'));
	await page.goto(`/partner/referrals/${id}`);
	await page.getByLabel('Your message').fill('We can see her on Tuesday at 10:00.');
	await page.getByRole('button', { name: 'Send message' }).click();
	await expect(page.locator('.conversation')).toContainText('We can see her on Tuesday at 10:00.');

	// The caseworker reads it on the referral's page in the case, and answers there.
	const caseworker = await staffPage(browser, 'caseworker');
	await caseworker.goto(`/staff/cases/${person.reference}/partners`);
	await caseworker.getByRole('link', { name: 'Shelter' }).click();
	await expect(caseworker).toHaveURL(new RegExp(`/partners/${id}$`));
	await expect(caseworker.locator('.conversation')).toContainText('Tuesday at 10:00');
	await expectAccessible(caseworker);
	await caseworker.getByLabel('Your message to Shelter').fill('Tuesday is fine, thank you.');
	await caseworker.getByRole('button', { name: 'Send message' }).click();
	await expect(caseworker.getByRole('status')).toContainText('Message sent');
	await expect(caseworker.locator('.conversation')).toContainText('Tuesday is fine, thank you.');

	await page.reload();
	await expect(page.locator('.conversation')).toContainText('Tuesday is fine, thank you.');
	const mine = await personPage(browser, person);
	expect(await mine.content()).not.toContain('Tuesday at 10:00');

	// Once our case is closed nobody can write there: the agency is not offered a form it would
	// only be refused, and reads what was said.
	await closeCase(person.reference);
	await page.goto(`/partner/referrals/${id}`);
	await expect(page.getByText('This conversation is closed.')).toBeVisible();
	await expect(page.getByLabel('Your message')).toHaveCount(0);
	await expect(page.locator('.conversation')).toContainText('Tuesday is fine, thank you.');
});

test('a partner worker declines with a reason only the caseworker reads', async ({
	browser,
	page
}) => {
	const { person, id } = await sharedWithShelter('violet meadow candle drum');
	const worker = await newPartnerWorker('shelter', 'Dee');
	await signInPartner(page, worker);
	await page.goto(`/partner/referrals/${id}`);
	await page.getByLabel('Why you cannot help').fill('We only cover Kestrel ward.');
	await page.getByRole('button', { name: 'Decline the referral' }).click();
	await expect(page.getByRole('status')).toContainText('Referral declined');

	const caseworker = await staffPage(browser, 'caseworker');
	await caseworker.goto(`/staff/cases/${person.reference}/partners/${id}`);
	await expect(caseworker.locator('.facts').last()).toContainText('We only cover Kestrel ward.');

	const mine = await personPage(browser, person);
	await expect(mine.getByText('Shelter cannot help this time.')).toBeVisible();
	expect(await mine.content()).not.toContain('Kestrel');
});

test('a partner-admin adds a worker, and deactivating one signs them out at once', async ({
	browser,
	page
}) => {
	await signInPartner(page, await newPartnerWorker('shelter', 'Ada', true));
	await page.getByRole('link', { name: 'Your team' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your team at Shelter');
	const email = `noor-${Date.now()}-${test.info().project.name}@shelter.test`;
	await page.getByLabel('Name').fill('Noor Hassan');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('First password').fill('noor first password');
	await page.getByRole('button', { name: 'Add worker' }).click();
	await expect(page.getByRole('status')).toContainText('Worker added');
	await expect(page.locator('tr', { hasText: email })).toContainText('Not yet set up');
	await expectAccessible(page);

	// A colleague signed in elsewhere, not a partner-admin: no team page for them.
	const bo = await newPartnerWorker('shelter', 'Bo');
	const theirs = await (await browser.newContext()).newPage();
	await signInPartner(theirs, bo);
	await expect(theirs.getByRole('link', { name: 'Your team' })).toHaveCount(0);
	await page.reload();
	await page
		.locator('tr', { hasText: bo.email })
		.getByRole('button', { name: 'Deactivate Bo Jones' })
		.click();
	await expect(page.getByRole('status')).toContainText('Worker deactivated');
	await theirs.goto('/partner');
	await expect(theirs).toHaveURL(/\/partner\/sign-in$/);
});

test('an admin adds a worker to an agency, who sets up their second factor at first sign-in', async ({
	browser
}) => {
	const admin = await staffPage(browser, 'admin');
	await admin.goto('/staff/admin/partners');
	await admin.getByRole('link', { name: 'Workers at Galop' }).click();
	await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Workers at Galop');
	const email = `rae-${Date.now()}-${test.info().project.name}@galop.test`;
	await admin.getByLabel('Name').fill('Rae Lin');
	await admin.getByLabel('Email').fill(email);
	await admin.getByLabel('First password').fill('rae first password');
	await admin.getByLabel('They can add and deactivate workers at Galop').check();
	await admin.getByRole('button', { name: 'Add worker' }).click();
	await expect(admin.getByRole('status')).toContainText('Worker added');
	await expect(admin.locator('tr', { hasText: email })).toContainText('Yes');
	await expectAccessible(admin);

	// Rae's first sign-in: password, then setting up the app, then the recovery codes.
	const rae = await (await browser.newContext()).newPage();
	await rae.goto('/partner/sign-in');
	await rae.getByLabel('Work email').fill(email);
	await rae.getByLabel('Password').fill('rae first password');
	await rae.getByRole('button', { name: 'Continue' }).click();
	await expect(rae).toHaveURL(/\/partner\/enrol$/);
	const secret = (await rae.locator('figcaption code').textContent())!.trim();
	await rae.getByLabel('The password you were given').fill('rae first password');
	await rae.getByLabel('6-digit code from the app').fill(totp(secret));
	await rae.getByLabel('Choose your own password').fill('rae chose her own');
	await rae.getByLabel('Type your new password again').fill('rae chose her own');
	await rae.getByRole('button', { name: 'Finish setting up' }).click();
	await expect(rae.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
	await rae.getByRole('link', { name: 'Continue to your referrals' }).click();
	await expect(rae.getByRole('heading', { level: 1 })).toHaveText('Referrals to Galop');
	await expect(rae.getByRole('link', { name: 'Your team' })).toBeVisible();
});

test('an admin sets where an agency’s notices go; a wrong address is refused and changes nothing', async ({
	browser
}) => {
	const admin = await staffPage(browser, 'admin');
	await admin.goto('/staff/admin/partners');
	await admin.getByRole('link', { name: 'Workers at Stay Safe East' }).click();
	const inbox = admin.getByLabel("The agency's shared inbox");
	const inboxAddress = `referrals-${test.info().project.name}@staysafe.test`;
	await inbox.fill('not an address');
	await admin.getByRole('button', { name: 'Save inbox' }).click();
	await expect(admin.getByRole('link', { name: /Enter an email address like/ })).toBeVisible();
	// Read again (a GET: reloading would post the form again).
	const workersPage = new URL(admin.url()).pathname;
	await admin.goto(workersPage);
	await expect(inbox).not.toHaveValue('not an address');

	await inbox.fill(inboxAddress);
	await admin.getByRole('button', { name: 'Save inbox' }).click();
	await expect(admin.getByRole('status')).toContainText('Inbox saved');
	await admin.goto(workersPage);
	await expect(inbox).toHaveValue(inboxAddress);

	await inbox.fill('');
	await admin.getByRole('button', { name: 'Save inbox' }).click();
	await expect(admin.getByRole('status')).toContainText('the agency gets no emails');
	await admin.goto(workersPage);
	await expect(inbox).toHaveValue('');
});

test('an agency taken off the list signs its workers out and lets none in until it is back @once', async ({
	browser,
	page
}) => {
	const admin = await staffPage(browser, 'admin');
	await admin.goto('/staff/admin/partners');
	const name = `Switched Off ${Date.now()}`;
	await admin.getByLabel('Name', { exact: true }).fill(name);
	await admin.getByLabel('What they do').fill('Free advice on housing.');
	await admin.getByLabel('Housing').check();
	await admin.getByRole('button', { name: 'Add agency' }).click();
	await expect(admin.getByRole('status')).toContainText('Agency added');
	const agencyId = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
	const person = await newPerson();
	await assignToCaseworker(person.reference);
	const id = await sharedWith(person.reference, agencyId, 'For the agency switched off 4410');
	const ivy = await newPartnerWorker(agencyId, 'Ivy');
	await signInPartner(page, ivy);
	await expect(page.getByRole('link', { name: handleOf(id) })).toBeVisible();

	const row = admin.getByRole('row').filter({ hasText: name });
	await row.getByRole('button', { name: `Stop offering ${name}` }).click();
	await expect(row).toContainText('Not offered');
	// At once: Ivy's next page is the sign-in page, and her right password is refused like a
	// wrong one, saying nothing of her agency.
	await page.goto(`/partner/referrals/${id}`);
	await expect(page).toHaveURL(/\/partner\/sign-in$/);
	await page.getByLabel('Work email').fill(ivy.email);
	await page.getByLabel('Password').fill(ivy.password);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page.getByRole('alert')).toContainText('The email or password is not right');

	// Back on the list, she signs in again (with the next code: the last one is spent).
	await row.getByRole('button', { name: `Offer again ${name}` }).click();
	await expect(row).toContainText('Offered');
	await page.getByLabel('Password').fill(ivy.password);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page).toHaveURL(/\/partner\/verify$/);
	await page.getByLabel('Code').fill(totp(ivy.secret, 1));
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('link', { name: handleOf(id) })).toBeVisible();
	// Off the list again, as the other tests' agency lists expect it.
	await row.getByRole('button', { name: `Stop offering ${name}` }).click();
	await expect(row).toContainText('Not offered');
});
