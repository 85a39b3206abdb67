import { expect, type Browser, type Page } from '@playwright/test';
import { expectAccessible, test } from './helpers';
import { mailTo, waitForMail } from './mail';
import { messages } from './messages';
import { agencyWithInbox, assignToCaseworker, newPerson } from './people';
import { staffPage } from './staff';

// Per-agency consent (issue #16): a caseworker proposes a referral to one agency, the person is
// asked about that agency in their portal, and nothing is shared until they say yes.

const en = messages('en');
const say = (text: string, agency: string) => text.replaceAll('{{agency}}', agency);

async function signInPerson(
	browser: Browser,
	person: { reference: string; passphrase: string }
): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await page.goto('/sign-in');
	await page.getByLabel(en.signIn.reference).fill(person.reference);
	await page.getByLabel(en.signIn.passphrase).fill(person.passphrase);
	await page.getByRole('button', { name: en.signIn.submit }).click();
	await expect(page).toHaveURL(/\/my$/);
	return page;
}

/** The demo caseworker proposes a referral to `agency` from the case's Partners tab. */
async function propose(browser: Browser, reference: string, agency: string, summary: string) {
	const worker = await staffPage(browser, 'caseworker');
	await worker.goto(`/staff/cases/${reference}/partners`);
	await worker.getByLabel('Agency', { exact: true }).selectOption({ label: agency });
	await worker.getByLabel('Why you are referring (internal)').fill('Internal: ex-partner knows.');
	await worker.getByLabel('What the agency will see').fill(summary);
	await worker.getByRole('button', { name: 'Ask the person' }).click();
	await expect(worker.getByRole('status')).toContainText('Referral proposed');
	await expect(worker.getByRole('row').filter({ hasText: agency })).toContainText(
		'Waiting for the person'
	);
	return worker;
}

test('a person agrees to share with one agency, sees it in their details, and withdraws', async ({
	browser
}) => {
	// The whole journey, both sides, with five pages scanned and two emails waited for.
	test.setTimeout(90_000);
	const run = `${test.info().project.name}-${Date.now()}`;
	const agency = `Consent Advice ${run}`;
	const inbox = `inbox-${run}@agency.example`;
	await agencyWithInbox(agency, inbox);
	const person = await newPerson();
	await assignToCaseworker(person.reference);
	const summary = 'Needs advice on debts after the fraud.';
	const worker = await propose(browser, person.reference, agency, summary);
	await expectAccessible(worker);
	// Nothing is shared yet: the agency's inbox has heard nothing.
	expect(mailTo(inbox)).toEqual([]);

	// The person sees a clear card on their case page, and the question on a page of its own.
	const mine = await signInPerson(browser, person);
	await expect(mine.getByRole('heading', { name: en.my.sharing.askHeading })).toBeVisible();
	await expectAccessible(mine, 'asked');
	await mine.getByRole('link', { name: say(en.my.sharing.askLink, agency) }).click();
	await expect(mine.getByRole('heading', { level: 1 })).toHaveText(
		say(en.my.sharing.heading, agency)
	);
	await expect(mine).toHaveTitle(new RegExp(`^${en.my.sharing.title}`));
	await expect(mine.getByText(summary)).toBeVisible();
	await expect(mine.getByText(en.my.sharing.choiceNo)).toBeVisible();
	await expect(mine.locator('main')).not.toContainText('ex-partner knows');
	await expect(mine.getByRole('button', { name: /Quick exit/ })).toBeVisible();
	await expectAccessible(mine);
	await mine.getByRole('button', { name: say(en.my.sharing.yes, agency) }).click();
	await expect(mine.getByRole('heading', { name: en.my.sharing.sentHeading })).toBeVisible();

	// The agency's inbox is told a referral is waiting, and nothing about the person.
	const notice = await waitForMail(inbox);
	expect(notice.text).toContain(agency);
	expect(notice.text).toMatch(/\/partner\b/);
	for (const personal of [person.reference, 'fraud', 'debts']) {
		expect(`${notice.subject}\n${notice.text}`).not.toContain(personal);
	}

	// Their details list the agency, and they can stop sharing after a confirmation.
	await mine.getByRole('link', { name: en.my.nav.details }).first().click();
	await expect(mine.getByRole('heading', { name: en.my.details.sharingHeading })).toBeVisible();
	await expect(mine.getByRole('heading', { name: agency, level: 3 })).toBeVisible();
	await expectAccessible(mine, 'sharing');
	await mine.getByRole('link', { name: say(en.my.details.stopSharing, agency) }).click();
	await expect(mine.getByRole('heading', { level: 1 })).toHaveText(
		say(en.my.sharing.withdrawHeading, agency)
	);
	await expectAccessible(mine, 'withdraw');
	await mine.getByRole('button', { name: en.my.sharing.withdrawConfirm }).click();
	await expect(mine.getByRole('heading', { name: en.my.sharing.withdrawnHeading })).toBeVisible();
	const withdrawn = await waitForMail(inbox, 2);
	expect(withdrawn.text).toContain(`withdrawn their consent to share with ${agency}`);
	expect(withdrawn.text).not.toContain(person.reference);

	await mine.goto('/my/details');
	await expect(mine.getByText(en.my.details.sharingNone)).toBeVisible();
	await mine.goto('/my');
	await expect(mine.locator('.timeline')).toContainText(
		say(en.my.timeline.partner_withdrawn, agency)
	);

	// The caseworker sees what happened and who did it.
	// A fresh visit, not a reload: without JavaScript a reload would post the proposal again.
	await worker.goto(`/staff/cases/${person.reference}/partners`);
	const row = worker.getByRole('row').filter({ hasText: agency });
	await expect(row).toContainText('Consent withdrawn');
	await expect(row).toContainText('The person agreed in their portal');
});

test('a person says no, and nothing is shared', async ({ browser }) => {
	test.setTimeout(60_000);
	const person = await newPerson();
	await assignToCaseworker(person.reference);
	const worker = await propose(browser, person.reference, 'Galop', 'Wants LGBT+ specialist help.');
	const mine = await signInPerson(browser, person);
	await mine.getByRole('link', { name: say(en.my.sharing.askLink, 'Galop') }).click();
	await expect(mine).toHaveURL(/\/my\/sharing\/[^/?]+$/);
	const question = mine.url();
	await mine.getByRole('button', { name: en.my.sharing.no }).click();
	await expect(mine.getByRole('heading', { name: en.my.sharing.refusedHeading })).toBeVisible();
	await expect(mine.getByText(say(en.my.sharing.refused, 'Galop'))).toBeVisible();
	await expectAccessible(mine, 'refused');

	// An answer posted again from an old tab changes nothing, and says so.
	const again = await mine.request.post(`${question}?/answer`, {
		form: { answer: 'yes' },
		headers: { accept: 'text/html', origin: new URL(question).origin }
	});
	expect(again.status()).toBe(400);
	expect(await again.text()).toContain(en.my.sharing.errors.notWaiting);

	await mine.goto('/my');
	await expect(mine.getByRole('heading', { name: en.my.sharing.askHeading })).toHaveCount(0);
	await expect(mine.locator('.timeline')).toContainText(
		say(en.my.timeline.partner_refused, 'Galop')
	);
	await expect(mine.locator('.helping')).toHaveCount(0);
	await worker.goto(`/staff/cases/${person.reference}/partners`);
	await expect(worker.getByRole('row').filter({ hasText: 'Galop' })).toContainText(
		'Person said no'
	);
});

test('sharing without consent needs its ground and a reason, and supervisors see every one @once', async ({
	browser
}) => {
	test.setTimeout(60_000);
	const person = await newPerson();
	await assignToCaseworker(person.reference);
	const worker = await staffPage(browser, 'caseworker');
	await worker.goto(`/staff/cases/${person.reference}/partners`);
	await worker.getByLabel('Agency to share with').selectOption({ label: 'Shelter' });
	await worker.getByLabel('What you will share').fill('Two children in the home need housing.');
	await worker.getByLabel('High risk (MARAC)').check();
	await worker.getByLabel('Why you are sharing without consent').fill('Going to MARAC on Monday.');
	await worker.getByRole('button', { name: 'Share without consent' }).click();
	// The case's risk level is not high: refused, and nothing shared.
	await expect(worker.getByRole('alert')).toContainText('The case is not high risk');
	await expect(worker.getByText('No partner referrals yet.')).toBeVisible();
	await expectAccessible(worker, 'override refused');
	await worker.getByLabel('Child at risk').check();
	await worker.getByRole('button', { name: 'Share without consent' }).click();
	await expect(worker.getByRole('status')).toContainText('Shared without consent');
	await expect(worker.getByRole('row').filter({ hasText: 'Shelter' })).toContainText(
		'shared it without consent'
	);

	// Supervisors find it from the console's navigation.
	const supervisor = await staffPage(browser, 'supervisor');
	await supervisor.goto('/staff');
	await supervisor.getByRole('link', { name: 'Shared without consent' }).click();
	const listed = supervisor.getByRole('row').filter({ hasText: person.reference });
	await expect(listed).toContainText('Shelter');
	await expect(listed).toContainText('Child at risk');
	await expect(listed).toContainText('Going to MARAC on Monday.');
	await expect(listed).toContainText('caseworker@onedoor.test');
	await expectAccessible(supervisor);
	// A caseworker cannot open the list.
	expect((await worker.request.get('/staff/sharing')).status()).toBe(403);

	// The person is not asked, and is not shown it: their named contact decides when to tell them.
	const mine = await signInPerson(browser, person);
	await expect(mine.locator('main')).not.toContainText('Shelter');
});
