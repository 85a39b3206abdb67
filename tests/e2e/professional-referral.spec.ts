import { expect, type Page } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { expectAccessible, test } from './helpers';
import { waitForMail } from './mail';
import { messages } from './messages';
import { staffPage } from './staff';

const en = messages('en');
const p = en.refer.professional;
const unique = () => Math.random().toString(36).slice(2, 8);
const linkIn = (text: string) => new RegExp(`${baseURL}/\\S+`).exec(text)?.[0] ?? '';
// A name nobody else's case has, found by the console's whole-word search.
const letters = () =>
	Array.from({ length: 7 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join(
		''
	);

/** Answers the first question, "Did the person agree to be referred?". */
async function answerAgreed(page: Page, answer: string) {
	await page.goto('/refer');
	await page.getByRole('link', { name: en.refer.start.professionalLink }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(p.heading);
	await page
		.getByRole('group', { name: p.agreedLegend })
		.getByLabel(answer, { exact: true })
		.check();
	await page.getByRole('button', { name: p.start }).click();
}

/** Ticks the answer `label` to the question `legend` (radios and checkboxes). */
const choose = (page: Page, legend: string, label: string) =>
	page.getByRole('group', { name: legend }).getByLabel(label, { exact: true }).check();

test('a professional cannot refer an adult who did not agree, and is told what to do instead', async ({
	page
}) => {
	await page.goto('/refer/professional');
	await expectAccessible(page);
	// Sent without an answer: the error summary names the question.
	await page.getByRole('button', { name: p.start }).click();
	await expect(page.getByRole('alert')).toContainText(p.errors.agreed);

	await answerAgreed(page, p.agreed.no);
	await expect(page).toHaveURL(/\/refer\/professional\/not-agreed$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(p.notAgreed.heading);
	await expect(page.getByText(p.notAgreed.lead)).toBeVisible();
	await expect(page.getByRole('link', { name: p.notAgreed.selfLink })).toBeVisible();
	await expectAccessible(page);
});

test('a professional refers someone who agreed; the person gets their reference by email, sets a passphrase and signs in', async ({
	page,
	browser
}) => {
	// Three people in one journey (the professional, the person, a supervisor) on a shared machine.
	test.slow();
	const surname = letters();
	const personEmail = `person.${unique()}@example.org`;
	await answerAgreed(page, p.agreed.yes);
	await expect(page).toHaveURL(/\/refer\/professional\/form\?agreed=yes$/);
	await expectAccessible(page);

	// Sent empty: every question is named in the summary, and nothing is kept.
	await page.getByRole('button', { name: p.send }).click();
	const summary = page.getByRole('alert');
	await expect(summary).toContainText(p.errors.referrerName);
	await expect(summary).toContainText(p.errors.channels);
	await expect(page.getByLabel(p.you.name, { exact: true })).toHaveAttribute(
		'aria-invalid',
		'true'
	);
	await expectAccessible(page, 'error');

	await page.getByLabel(p.you.name, { exact: true }).fill('PC Sam Reid');
	await page.getByLabel(p.you.organisation).fill('Metropolitan Police');
	await choose(page, p.you.kind, p.you.kinds.police);
	await page.getByLabel(p.you.workEmail).fill('sam.reid@police.example');
	await page.getByLabel(p.person.name, { exact: true }).fill(`Ana ${surname}`);
	await choose(page, p.person.age, p.person.ages.adult);
	await choose(page, p.person.relationship, p.person.relationships.victim);
	await choose(page, p.contact.channels, en.refer.contact.email);
	await page.getByLabel(p.contact.emailAddress).fill(personEmail);
	await choose(page, p.contact.sayWhoWeAre, en.common.form.no);
	await choose(page, p.contact.language, 'English');
	await choose(page, p.contact.interpreter, en.common.form.no);
	await choose(page, en.refer.happened.crimeType, en.refer.happened.crimeTypes.burglary);
	await choose(page, en.refer.happened.when, en.refer.happened.whens.week);
	await choose(page, p.happened.police, p.happened.policeChoices.reported);
	await page.getByLabel(p.happened.account).fill('Her flat was broken into last Tuesday.');
	await choose(page, p.risk.needs, en.refer.needs.practical);
	await choose(page, p.risk.safeNow, p.risk.safeNowChoices.safe);
	await choose(page, en.refer.needs.childAtRisk, en.common.form.no);
	await page.getByRole('button', { name: p.send }).click();

	// The professional is thanked, and never shown the person's reference.
	await expect(page).toHaveURL(/\/refer\/professional\/sent$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(p.sent.heading);
	await expect(page.getByText(p.sent.reference)).toBeVisible();
	await expect(page.locator('main')).not.toContainText(/[A-Z0-9]{4}-[A-Z0-9]{4}/);
	await expectAccessible(page);

	// The person, on their own phone, gets their reference by the safe email; nothing of the crime.
	const notice = await waitForMail(personEmail);
	expect(notice.subject).toBe(en.common.notify.referredSubject);
	expect(notice.text).not.toMatch(/burglary|broken|police|Sam|OneDoor/i);
	const reference = /[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(notice.text)?.[0] ?? '';
	expect(reference).not.toBe('');
	const person = await (await browser.newContext()).newPage();
	await person.goto(linkIn(notice.text));
	await person.getByLabel(en.signIn.reference).fill(reference);
	await person.getByRole('button', { name: en.signIn.email.sendReset }).click();
	const reset = await waitForMail(personEmail, 2);
	await person.goto(linkIn(reset.text));
	await person
		.getByLabel(en.refer.passphrase.label, { exact: true })
		.fill('amber lantern harbour tide');
	await person.getByLabel(en.refer.passphrase.confirm).fill('amber lantern harbour tide');
	await person.getByRole('button', { name: en.signIn.reset.submit }).click();
	await expect(person.getByText(en.signIn.reset.done)).toBeVisible();
	await person.getByLabel(en.signIn.reference).fill(reference);
	await person.getByLabel(en.signIn.passphrase).fill('amber lantern harbour tide');
	await person.getByRole('button', { name: en.signIn.submit }).click();
	await expect(person).toHaveURL(/\/my$/);
	await expect(person.getByText(reference)).toBeVisible();

	// The queue says who referred, and filters by it.
	const supervisor = await staffPage(browser, 'supervisor');
	await supervisor.goto('/staff/cases?status=open&source=professional%3Apolice');
	await supervisor.getByLabel('Reference or name').fill(surname);
	await supervisor.getByRole('button', { name: 'Show cases' }).click();
	await expect(supervisor).toHaveURL(/source=professional%3Apolice&search=/);
	const row = supervisor.getByRole('row').filter({ hasText: reference });
	await expect(row).toContainText('Professional (police)');
	await supervisor.getByRole('link', { name: reference }).click();
	await expect(supervisor.getByText('PC Sam Reid')).toBeVisible();
	await expect(supervisor.getByText('sam.reid@police.example')).toBeVisible();
});

test('a child at risk is referred without agreement, as urgent', async ({ page }) => {
	await answerAgreed(page, p.agreed.child_at_risk);
	await expect(page.getByText(p.childAtRiskNote)).toBeVisible();
	await page.getByLabel(p.you.name, { exact: true }).fill('Jo Bell');
	await page.getByLabel(p.you.organisation).fill('Hillside Primary School');
	await choose(page, p.you.kind, p.you.kinds.school);
	await page.getByLabel(p.you.workPhone).fill('020 7946 0123');
	await page.getByLabel(p.person.name, { exact: true }).fill(`Kai ${letters()}`);
	await choose(page, p.person.age, p.person.ages.under18);
	await choose(page, p.person.relationship, p.person.relationships.victim);
	await choose(page, p.contact.channels, en.refer.contact.phone);
	await page.getByLabel(p.contact.phoneNumber).fill('07700 900 982');
	await choose(page, p.contact.voicemail, en.common.form.no);
	await choose(page, p.contact.sayWhoWeAre, en.common.form.no);
	await choose(page, p.contact.interpreter, en.common.form.no);
	await choose(page, en.refer.happened.crimeType, en.refer.happened.crimeTypes.violence);
	await choose(page, en.refer.happened.when, en.refer.happened.whens.ongoing);
	await choose(page, p.happened.police, p.happened.policeChoices.not_reported);
	await choose(page, p.risk.needs, en.refer.needs.safety);
	await choose(page, p.risk.safeNow, p.risk.safeNowChoices.unsure);
	await choose(page, en.refer.needs.childAtRisk, en.common.form.yes);
	await page.getByRole('button', { name: p.send }).click();
	await expect(page).toHaveURL(/\/refer\/professional\/sent\?urgent$/);
	await expect(page.getByText(p.sent.urgent)).toBeVisible();
});
