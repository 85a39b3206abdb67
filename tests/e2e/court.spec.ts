import { expect, type Page } from '@playwright/test';
import { expectAccessible, languages, test } from './helpers';
import { messages } from './messages';
import { newPerson } from './people';
import { staffPage } from './staff';

const pages = ['', '/before', '/day', '/after', '/rights', '/glossary'];

/**
 * Records a trial at Southwark Crown Court at 10:00, `days` after today on London's calendar,
 * which the console's form counts in (after 23:00 UTC in summer, London is a day ahead of UTC).
 */
async function recordTrial(staff: Page, days: number) {
	await staff.getByLabel('Court', { exact: true }).selectOption({ label: 'Southwark Crown Court' });
	const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
	const next = new Date(Date.parse(today) + days * 86_400_000).toISOString().slice(0, 10);
	await staff.getByLabel('Date').fill(next);
	await staff.getByLabel('Time').fill('10:00');
	await staff.getByLabel('Kind of hearing').selectOption({ label: 'Trial' });
	await staff.getByRole('button', { name: 'Record hearing' }).click();
	await expect(staff.getByRole('status')).toContainText('Hearing recorded');
}

// Every page of the guide in every language, over HTTP: it needs no browser.
for (const { code, prefix, dir } of languages) {
	test(`the court guide reads in ${code}, with its plan and glossary links @once`, async ({
		request
	}) => {
		for (const path of pages) {
			const response = await request.get(`${prefix}/court${path}`);
			expect(response.status(), path).toBe(200);
			const html = await response.text();
			expect(html, path).toMatch(new RegExp(`<html[^>]* lang="${code}"[^>]* dir="${dir}"`));
			expect(html.match(/<h1[\s>]/g), path).toHaveLength(1);
		}
		// The courtroom plan is a picture with words a screen reader reads.
		const day = await (await request.get(`${prefix}/court/day`)).text();
		expect(day).toMatch(/role="img"[^>]*aria-labelledby="plan-title"/);
		expect(day).toContain(`<title id="plan-title">${messages(code).court.plan.title}</title>`);
		// Court words link to the glossary, in the same language, at a term that is there.
		const before = await (await request.get(`${prefix}/court/before`)).text();
		const term = new RegExp(`href="${prefix}/court/glossary#([a-z-]+)"`).exec(before)?.[1];
		expect(term).toBeTruthy();
		const glossary = await (await request.get(`${prefix}/court/glossary`)).text();
		expect(glossary).toContain(`id="${term}"`);
	});
}

// Axe scans each page of the guide once left to right and once right to left.
for (const { code, prefix } of languages.filter((l) => l.code !== 'pl')) {
	test(`every page of the court guide passes axe, ${code} @once`, async ({ page }) => {
		for (const path of pages) {
			await page.goto(`${prefix}/court${path}`);
			await expect(page.getByRole('heading', { level: 1 }), path).toHaveCount(1);
			await expectAccessible(page);
		}
	});
}

test('a court word links to its glossary entry @once', async ({ page }) => {
	await page.goto('/ar/court/before');
	await page.locator('a[href^="/ar/court/glossary#"]').first().click();
	await expect(page).toHaveURL(/\/ar\/court\/glossary#[a-z-]+$/);
});

test('a hearing recorded in the console shows in the person’s court page, and their visit request reaches the console', async ({
	browser
}) => {
	const en = messages('en');
	const person = await newPerson();
	const supervisor = await staffPage(browser, 'supervisor');
	await supervisor.goto(`/staff/cases/${person.reference}/court`);
	await recordTrial(supervisor, 20);

	const mine = await (await browser.newContext()).newPage();
	await mine.goto('/sign-in');
	await mine.getByLabel(en.signIn.reference).fill(person.reference);
	await mine.getByLabel(en.signIn.passphrase).fill(person.passphrase);
	await mine.getByRole('button', { name: en.signIn.submit }).click();
	await mine.getByRole('link', { name: en.my.nav.court }).click();
	await expect(mine.getByText('Southwark Crown Court')).toBeVisible();
	await expect(mine.getByText('20 days to go.')).toBeVisible();
	await expectAccessible(mine);

	// A change made in the console shows here.
	await supervisor.getByRole('link', { name: /^Change/ }).click();
	await expect(supervisor.getByLabel('Time')).toHaveValue('10:00');
	await supervisor.getByLabel('Time').fill('14:30');
	await supervisor.getByRole('button', { name: 'Save the change' }).click();
	await expect(supervisor.getByRole('status')).toContainText('Hearing recorded');
	await mine.reload();
	await expect(mine.getByText(/at 14:30/)).toBeVisible();
	await expect(mine.getByText(/at 10:00/)).toHaveCount(0);

	// Ticks are saved.
	await mine.getByLabel(en.my.court.checklist.letter).check();
	await mine.getByLabel(en.my.court.checklist.medicine).check();
	await mine.getByRole('button', { name: en.my.court.saveChecklist }).click();
	await expect(mine.getByRole('status')).toContainText(en.my.court.checklistSaved);
	await mine.reload();
	await expect(mine.getByLabel(en.my.court.checklist.letter)).toBeChecked();
	await expect(mine.getByLabel(en.my.court.checklist.id)).not.toBeChecked();

	// A visit request without dates is refused; with them it is sent.
	await mine.getByRole('button', { name: en.my.court.sendVisit }).click();
	await expect(mine.getByRole('alert', { name: en.common.form.errorSummary })).toContainText(
		en.my.court.errors.dates
	);
	await expectAccessible(mine);
	await mine.getByLabel(en.my.court.dates).fill('Any weekday morning');
	await mine.getByLabel(en.my.court.who).fill('My sister');
	await mine.getByRole('button', { name: en.my.court.sendVisit }).click();
	await expect(mine.getByRole('status')).toContainText(en.my.court.visitSent);
	// The form is far down the page; the confirmation is at its top, and is brought into sight.
	await expect(mine.getByRole('status')).toBeInViewport();
	if (test.info().project.use.javaScriptEnabled !== false) {
		await expect(mine.getByRole('status')).toBeFocused();
	}
	await mine.getByLabel(en.my.court.measures.screens).check();
	await mine.getByRole('button', { name: en.my.court.sendMeasures }).click();
	await expect(mine.getByRole('status')).toContainText(en.my.court.measuresSent);
	await mine.goto('/my');
	await expect(mine.locator('.timeline')).toContainText(en.my.timeline.visit_requested);

	// The console shows both as tasks on the case.
	await supervisor.reload();
	const visit = supervisor.locator('.requests li').filter({ hasText: 'Pre-trial visit' });
	await expect(visit).toContainText('Any weekday morning');
	await expect(visit).toContainText('My sister');
	await expect(
		supervisor.locator('.requests li').filter({ hasText: 'Special measures' })
	).toContainText('Screens');
	await visit.getByRole('button', { name: /Mark as dealt with/ }).click();
	await expect(supervisor.getByRole('status')).toContainText('Request marked as dealt with');
	await expectAccessible(supervisor);
});

test('a hearing changed over someone else’s newer change is refused, showing theirs, until saved again @once', async ({
	browser
}) => {
	const person = await newPerson();
	const page = `/staff/cases/${person.reference}/court`;
	const one = await staffPage(browser, 'supervisor');
	await one.goto(page);
	await recordTrial(one, 30);

	// Two people open the same hearing to change it; the first moves it to 14:30.
	const two = await staffPage(browser, 'supervisor');
	await two.goto(page);
	for (const them of [one, two]) await them.getByRole('link', { name: /^Change/ }).click();
	await one.getByLabel('Time').fill('14:30');
	await one.getByRole('button', { name: 'Save the change' }).click();
	await expect(one.getByRole('status')).toContainText('Hearing recorded');

	// The second types a time the form cannot read first: refused for that alone.
	await two.getByLabel('Time').fill('9.30');
	await two.getByRole('button', { name: 'Save the change' }).click();
	await expect(two.getByRole('alert')).not.toContainText('Someone changed');
	// Then 09:30, over the 10:00 they saw: refused, saying what the hearing says now.
	await two.getByLabel('Time').fill('09:30');
	await two.getByRole('button', { name: 'Save the change' }).click();
	await expect(two.getByRole('alert')).toContainText(
		'Someone changed this hearing after you opened this page'
	);
	await expect(
		two.getByText(/^Saved now: .* at 14:30, Southwark Crown Court, Trial\.$/)
	).toBeVisible();
	await expect(two.locator('.hearings')).toContainText('14:30');
	await expect(two.getByLabel('Time')).toHaveValue('09:30');
	await expectAccessible(two);
	// Saved again, knowingly, it stands.
	await two.getByRole('button', { name: 'Save the change' }).click();
	await expect(two.getByRole('status')).toContainText('Hearing recorded');
	await expect(two.locator('.hearings')).toContainText('09:30');
	await expect(two.locator('.hearings')).not.toContainText('14:30');
});
