import { expect, type Browser, type BrowserContext } from '@playwright/test';
import { test } from './helpers';
import { newPerson } from './people';
import { demoStaff, signInStaff } from './staff';

// Every portal and console route, as every kind of visitor: the status each must get.
const routes = [
	'/my',
	'/my/settings',
	'/pl/my',
	'/staff',
	'/staff/admin',
	'/staff/people',
	'/staff/enrol',
	'/staff/verify'
];
type Who = 'anonymous' | 'personA' | 'personB' | 'caseworker' | 'supervisor' | 'admin';
const expected: Record<Who, number[]> = {
	//          /my  settings /pl/my /staff admin people enrol verify
	anonymous: [303, 303, 303, 303, 303, 303, 303, 303],
	personA: [200, 200, 200, 403, 403, 403, 403, 403],
	personB: [200, 200, 200, 403, 403, 403, 403, 403],
	caseworker: [403, 403, 403, 200, 403, 200, 303, 303],
	supervisor: [403, 403, 403, 200, 403, 200, 303, 303],
	admin: [403, 403, 403, 200, 200, 200, 303, 303]
};

async function signedIn(browser: Browser, who: Who): Promise<BrowserContext> {
	const context = await browser.newContext();
	if (who === 'anonymous') return context;
	const page = await context.newPage();
	if (who === 'personA' || who === 'personB') {
		const person = await newPerson();
		await page.goto('/sign-in');
		await page.getByLabel('Case reference').fill(person.reference);
		await page.getByLabel('Passphrase').fill(person.passphrase);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page).toHaveURL(/\/my$/);
	} else {
		await signInStaff(page, demoStaff[who].email, demoStaff[who].secret);
	}
	await page.close();
	return context;
}

test('every portal and console route answers each visitor as it should @once', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const seen: Record<string, number[]> = {};
	for (const who of Object.keys(expected) as Who[]) {
		const context = await signedIn(browser, who);
		seen[who] = [];
		for (const path of routes) {
			const response = await context.request.get(path, { maxRedirects: 0 });
			seen[who].push(response.status());
		}
		await context.close();
	}
	expect(seen).toEqual(expected);
});

test('person B cannot read person A’s case by any page @once', async ({ browser }) => {
	const a = await newPerson();
	const b = await signedIn(browser, 'personB');
	const body = await (await b.request.get('/my')).text();
	expect(body).not.toContain(a.reference);
	await b.close();
});
