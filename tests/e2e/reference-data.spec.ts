import { expect } from '@playwright/test';
import { test } from './helpers';
import { messages } from './messages';
import { newPerson, withHearingAndNewAgency } from './people';

// Reference data a person reads — the court's travel note, what a partner agency does — comes in
// their language; an agency an admin added has only English, so it is marked as English.
test('a person reads their court’s travel note in Arabic, and a new agency’s English marked lang="en" @once', async ({
	browser
}) => {
	const person = await newPerson(undefined, undefined, { consent: { share: 'yes' } });
	const does = `Helps people in Hackney with debts (${test.info().project.name}).`;
	await withHearingAndNewAgency(person.reference, 'southwark-crown', {
		name: `Hackney Debt Help ${crypto.randomUUID().slice(0, 8)}`,
		does
	});
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto('/sign-in');
	await page.getByLabel('Case reference').fill(person.reference);
	await page.getByLabel('Passphrase').fill(person.passphrase);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/my$/);

	const court = await (await context.request.get('/ar/my/court')).text();
	const ar = messages('ar') as unknown as { my: { courtTravel: Record<string, string> } };
	expect(court).toContain(`<p>${ar.my.courtTravel['southwark-crown']}</p>`);
	// What is shown: the hydration data after the page still carries the stored English.
	expect(court.slice(court.indexOf('<main'), court.indexOf('</main>'))).not.toContain('Nearest');

	const overview = await (await context.request.get('/ar/my')).text();
	expect(overview).toContain(`<p lang="en">${does}</p>`);
	// A built-in agency's own words would be Arabic; on an English page nothing is marked.
	const english = await (await context.request.get('/my')).text();
	expect(english).toContain(`<p>${does}</p>`);
	await context.close();
});
