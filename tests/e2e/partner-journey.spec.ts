import { expect, type Browser, type Page } from '@playwright/test';
import { test } from './helpers';
import { messages } from './messages';
import { newPartnerWorker, signInPartner } from './partners';
import { agencyWithInbox, assignToCaseworker, newPerson } from './people';
import { staffPage } from './staff';

// Issue #16 end to end, every step through the pages people use: a caseworker proposes, the
// person agrees in their portal, the agency's worker signs in and sees only the summary, accepts
// and names a worker, the person is told who, the person withdraws, and the agency can no longer
// open the referral. The steps are each tested in depth in partner-consent and partner-area.

const en = messages('en');
const say = (text: string, values: Record<string, string>) =>
	text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');

async function signInPerson(browser: Browser, person: { reference: string; passphrase: string }) {
	const page = await (await browser.newContext()).newPage();
	await page.goto('/sign-in');
	await page.getByLabel(en.signIn.reference).fill(person.reference);
	await page.getByLabel(en.signIn.passphrase).fill(person.passphrase);
	await page.getByRole('button', { name: en.signIn.submit }).click();
	await expect(page).toHaveURL(/\/my$/);
	return page;
}

test('proposed, agreed, accepted with a named worker, told, withdrawn: the agency then cannot open it', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const run = `${test.info().project.name}-${Date.now()}`;
	const agency = `Journey Housing ${run}`;
	const agencyId = await agencyWithInbox(agency, `inbox-${run}@agency.example`);
	const sam = await newPartnerWorker(agencyId, 'Sam');
	const person = await newPerson();
	await assignToCaseworker(person.reference);
	const summary = `Needs safe housing advice, prefers calls after 6pm (${run}).`;

	// The caseworker proposes the referral.
	const caseworker = await staffPage(browser, 'caseworker');
	await caseworker.goto(`/staff/cases/${person.reference}/partners`);
	await caseworker.getByLabel('Agency', { exact: true }).selectOption({ label: agency });
	await caseworker.getByLabel('Why you are referring (internal)').fill('Internal only: juniper.');
	await caseworker.getByLabel('What the agency will see').fill(summary);
	await caseworker.getByRole('button', { name: 'Ask the person' }).click();
	await expect(caseworker.getByRole('status')).toContainText('Referral proposed');

	// Before the person answers, the agency sees nothing.
	const partner: Page = await (await browser.newContext()).newPage();
	await signInPartner(partner, sam);
	await expect(partner.locator('main')).toContainText('There are no referrals for you yet.');

	// The person agrees in their portal.
	const mine = await signInPerson(browser, person);
	await mine.getByRole('link', { name: say(en.my.sharing.askLink, { agency }) }).click();
	await expect(mine.getByText(summary)).toBeVisible();
	await mine.getByRole('button', { name: say(en.my.sharing.yes, { agency }) }).click();
	await expect(mine.getByRole('heading', { name: en.my.sharing.sentHeading })).toBeVisible();

	// The agency's worker sees it, and of the case only the summary.
	await partner.goto('/partner');
	const link = partner.getByRole('table').getByRole('link');
	await expect(link).toHaveCount(1);
	await link.click();
	const referralAddress = partner.url();
	await expect(partner.getByText(summary)).toBeVisible();
	const shown = await partner.content();
	expect(shown).not.toContain(person.reference);
	expect(shown).not.toContain('juniper');
	await partner.getByLabel('Name of the worker who will help them').fill('Sam');
	await partner.getByRole('button', { name: 'Accept the referral' }).click();
	await expect(partner.getByRole('status')).toContainText('Referral accepted');

	// The person is told who will help them there.
	await mine.goto('/my');
	await expect(
		mine.getByText(say(en.my.timeline.partner_accepted_worker, { agency, worker: 'Sam' }))
	).toBeVisible();

	// The person withdraws.
	await mine.goto('/my/details');
	await mine.getByRole('link', { name: say(en.my.details.stopSharing, { agency }) }).click();
	await mine.getByRole('button', { name: en.my.sharing.withdrawConfirm }).click();
	await expect(mine.getByRole('heading', { name: en.my.sharing.withdrawnHeading })).toBeVisible();

	// The agency can no longer open it, by its list or by its address.
	const gone = await partner.goto(referralAddress);
	expect(gone?.status()).toBe(410);
	await expect(partner.getByRole('heading', { level: 1 })).toHaveText(
		'This referral has been withdrawn'
	);
	await expect(partner.locator('main')).not.toContainText(summary);
	await partner.goto('/partner');
	await expect(partner.getByRole('table').getByRole('link')).toHaveCount(0);
});
