import { expect, type Browser } from '@playwright/test';
import { expectAccessible, test } from './helpers';
import { messages } from './messages';
import { newPartnerWorker, sharedWith, signInPartner } from './partners';
import { assignToCaseworker, newPerson } from './people';
import { staffPage, totp } from './staff';

const en = messages('en');
const handleOf = (id: string) => {
	const hex = id.replace(/-/g, '').slice(0, 8).toUpperCase();
	return `${hex.slice(0, 4)}-${hex.slice(4)}`;
};

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
	await page.getByLabel('Code').fill('000000');
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
	const theirs = await sharedWith(other.reference, 'galop', 'For Galop only 8812');
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
	expect(body).not.toContain('8812');
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
});

test('a partner worker declines with a reason only the caseworker reads', async ({
	browser,
	page
}) => {
	const { person, id } = await sharedWithShelter('violet meadow candle drum');
	const worker = await newPartnerWorker('shelter', 'Dee');
	await signInPartner(page, worker);
	await page.goto(`/partner/referrals/${id}`);
	await page.getByLabel('Why you cannot help').fill('We only cover one borough 6630.');
	await page.getByRole('button', { name: 'Decline the referral' }).click();
	await expect(page.getByRole('status')).toContainText('Referral declined');

	const caseworker = await staffPage(browser, 'caseworker');
	await caseworker.goto(`/staff/cases/${person.reference}/partners/${id}`);
	await expect(caseworker.locator('.facts').last()).toContainText(
		'We only cover one borough 6630.'
	);

	const mine = await personPage(browser, person);
	await expect(mine.getByText('Shelter cannot help this time.')).toBeVisible();
	expect(await mine.content()).not.toContain('6630');
});
