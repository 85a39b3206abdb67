import { expect, type Browser, type BrowserContext } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { test } from './helpers';
import { messages } from './messages';
import { accountByEmail, caseworker, workEmail } from './organisations';
import { assignToCaseworker, newPerson } from './people';
import { staffPage } from './staff';

// Every portal and console route, as every kind of visitor: the status each must get.
const routes = [
	'/my',
	'/my/settings',
	'/my/messages',
	'/my/details',
	'/my/details/consent',
	'/pl/my',
	'/staff',
	'/staff/admin',
	'/staff/admin/partners',
	'/staff/admin/translations',
	'/staff/people',
	'/staff/reports',
	'/staff/sharing',
	'/staff/enrol',
	'/staff/verify',
	'/staff/password'
];
type Who = 'anonymous' | 'personA' | 'personB' | 'caseworker' | 'supervisor' | 'admin';
const expected: Record<Who, number[]> = {
	//          /my  settings messages details consent /pl/my /staff admin partners translations people reports sharing enrol verify password
	anonymous: [303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303],
	personA: [200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
	personB: [200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
	caseworker: [403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 200, 403, 403, 303, 303, 200],
	supervisor: [403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 200, 200, 200, 303, 303, 200],
	admin: [403, 403, 403, 403, 403, 403, 200, 200, 200, 200, 200, 200, 200, 303, 303, 200]
};

async function signedIn(browser: Browser, who: Who): Promise<BrowserContext> {
	if (who !== 'anonymous' && who !== 'personA' && who !== 'personB') {
		return (await staffPage(browser, who)).context();
	}
	const context = await browser.newContext();
	if (who === 'anonymous') return context;
	const page = await context.newPage();
	const person = await newPerson();
	await page.goto('/sign-in');
	await page.getByLabel('Case reference').fill(person.reference);
	await page.getByLabel('Passphrase').fill(person.passphrase);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/my$/);
	await page.close();
	return context;
}

test('every portal and console route answers each visitor as it should @once', async ({
	browser
}) => {
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

test('a page refused says so plainly, not that something went wrong on our side @once', async ({
	browser
}) => {
	const en = messages('en');
	const ar = messages('ar');
	const person = await signedIn(browser, 'personA');
	const staffOnly = await person.request.get('/staff');
	expect(staffOnly.status()).toBe(403);
	const refused = await staffOnly.text();
	expect(refused).toContain(en.errors.forbidden.title);
	expect(refused).not.toContain(en.errors.server.title);
	await person.close();
	// A request no page can use (a JSON body to a form) is the browser's, not our fault either.
	const anonymous = await browser.newContext();
	const json = await anonymous.request.post('/ar/refer/safe-now', {
		data: { safeNow: 'safe' },
		headers: { accept: 'text/html', 'sec-fetch-site': 'same-origin' }
	});
	expect(json.status()).toBe(415);
	expect(await json.text()).toContain(ar.errors.badRequest.title);
	await anonymous.close();
});

test('person B cannot read person A’s case by any page @once', async ({ browser }) => {
	const a = await newPerson();
	const b = await signedIn(browser, 'personB');
	const body = await (await b.request.get('/my')).text();
	expect(body).not.toContain(a.reference);
	await b.close();
});

/** Two cases: one the demo caseworker holds (assigned by the supervisor), one nobody holds yet. */
async function twoCases() {
	const mine = (await newPerson()).reference;
	const other = (await newPerson()).reference;
	await assignToCaseworker(mine);
	return { mine, other };
}

test('every console page answers each visitor as it should, within their caseload @once', async ({
	browser
}) => {
	const { mine, other } = await twoCases();
	const pages = [
		'/staff/cases',
		`/staff/cases/${mine}`,
		`/staff/cases/${mine}/assessment`,
		`/staff/cases/${mine}/partners`,
		`/staff/cases/${mine}/court`,
		`/staff/cases/${mine}/audit`,
		`/staff/cases/${mine}/messages`,
		`/staff/cases/${mine}/export`,
		// An export's file is served only under a decision just recorded: none here.
		`/staff/cases/${mine}/export/download?decision=1`,
		`/staff/cases/${mine}/retention`,
		`/staff/cases/${other}`,
		`/staff/cases/${other}/partners`,
		'/staff/cases/ACDE-FG4K'
	];
	const want: Record<Who, number[]> = {
		//          list mine assess partners court audit messages export file retention other otherP unknown
		anonymous: [303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303],
		personA: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
		caseworker: [200, 200, 200, 200, 200, 403, 200, 403, 403, 403, 403, 403, 404],
		supervisor: [200, 200, 200, 200, 200, 200, 200, 200, 404, 200, 200, 200, 404],
		admin: [200, 200, 200, 200, 200, 200, 200, 200, 404, 200, 200, 200, 404]
	} as Record<Who, number[]>;
	const seen: Record<string, number[]> = {};
	for (const who of Object.keys(want) as Who[]) {
		const context = await signedIn(browser, who);
		seen[who] = [];
		for (const path of pages) {
			seen[who].push((await context.request.get(path, { maxRedirects: 0 })).status());
		}
		await context.close();
	}
	expect(seen).toEqual(want);
});

test('every console action is refused to those who may not take it, and changes nothing @once', async ({
	browser
}) => {
	const { mine, other } = await twoCases();
	// A colleague whose sign-in only an admin may reset.
	const colleagueEmail = workEmail('colleague');
	const colleague = await caseworker(colleagueEmail);
	const post = (context: BrowserContext, path: string, form: Record<string, string>) =>
		context.request.post(path, {
			form,
			maxRedirects: 0,
			headers: { accept: 'text/html', origin: baseURL }
		});
	const actions: [string, Record<string, string>][] = [
		[`/staff/cases/${other}?/addNote`, { note: 'written by whoever could' }],
		[`/staff/cases/${other}/partners?/propose`, { agency: 'shelter', reason: 'x', summary: 'y' }],
		[
			`/staff/cases/${other}/court?/recordHearing`,
			{ court: 'x', date: '2027-01-01', time: '10:00', type: 'trial' }
		],
		[`/staff/cases/${other}/messages?/send`, { message: 'from whoever could' }],
		[`/staff/cases/${other}?/markContacted`, { channel: 'portal' }],
		[`/staff/cases/${other}?/changeStatus`, { status: 'support' }],
		[`/staff/cases/${other}?/close`, { outcome: 'other' }],
		[`/staff/cases/${other}/assessment?/saveNeeds`, { needs: 'housing', riskLevel: 'high' }],
		[`/staff/cases/${other}/assessment?/recordDash`, { yes: 'q1' }],
		[
			`/staff/cases/${other}/partners?/override`,
			{
				overrideAgency: 'shelter',
				overrideSummary: 'y',
				basis: 'child_at_risk',
				overrideReason: 'whoever could'
			}
		],
		[`/staff/cases/${other}/court?/markRequestDone`, { request: 'x' }],
		[`/staff/cases/${mine}?/assign`, { caseworker: 'nobody' }],
		[
			`/staff/cases/${mine}/export?/produce`,
			{ staffNotes: 'include', reason: 'whoever could', format: 'json' }
		],
		[`/staff/cases/${mine}/retention?/setHold`, { holdReason: 'whoever could' }],
		[`/staff/cases/${mine}/retention?/erase`, { reason: 'x', outcome: 'other', confirm: 'yes' }],
		[`/staff/cases/${mine}/retention?/reviewErasure`, { reason: 'x', outcome: 'other' }],
		[`/staff/cases/${other}?/reopen`, { reopenReason: 'whoever could' }],
		[`/staff/cases/${mine}?/reopen`, { reopenReason: 'whoever could' }],
		['/staff/admin?/resetSignIn', { account: colleague.id, firstPassword: 'whoever could set' }]
	];
	const want: Record<string, number[]> = {
		// Every action on a case outside the caseload, then naming the contact, an export, a legal
		// hold and erasure on their own case; then opening a case again, theirs and not theirs.
		anonymous: [
			303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303
		],
		personA: [
			403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403
		],
		// Not their case (403); their own case, but naming the contact is a supervisor's (400),
		// and exporting, a legal hold and erasure are a supervisor's alone, like their pages (403);
		// opening a case again is a supervisor's too (400 on their own); resetting a colleague's
		// sign-in is an admin's (403).
		caseworker: [
			403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 400, 403, 403, 403, 403, 403, 400, 403
		]
	};
	const seen: Record<string, number[]> = {};
	for (const who of Object.keys(want) as Who[]) {
		const context = await signedIn(browser, who);
		seen[who] = [];
		for (const [path, form] of actions) seen[who].push((await post(context, path, form)).status());
		await context.close();
	}
	expect(seen).toEqual(want);
	// Nothing anyone was refused reached the case.
	const supervisor = await staffPage(browser, 'supervisor');
	await supervisor.goto(`/staff/cases/${other}`);
	await expect(supervisor.locator('.timeline')).not.toContainText('written by whoever could');
	await supervisor.goto(`/staff/cases/${other}/partners`);
	await expect(supervisor.getByText('No partner referrals yet.')).toBeVisible();
	await supervisor.goto(`/staff/cases/${other}/messages`);
	await expect(supervisor.getByText('No messages yet.')).toBeVisible();
	// Still new, never contacted, not assessed, not closed.
	await supervisor.goto(`/staff/cases/${other}`);
	await expect(supervisor.locator('.facts').first()).toContainText('New');
	await expect(supervisor.locator('.facts').first()).toContainText('Not assessed yet');
	await expect(supervisor.getByRole('button', { name: 'Close case' })).toBeVisible();
	// Their own case is neither held nor erased.
	await supervisor.goto(`/staff/cases/${mine}/retention`);
	await expect(supervisor.getByRole('button', { name: 'Set legal hold' })).toBeVisible();
	await expect(supervisor.getByRole('button', { name: 'Continue' })).toBeVisible();
	await supervisor.goto(`/staff/cases/${mine}/audit`);
	await expect(supervisor.locator('table')).not.toContainText("Person's data exported");
	// The colleague's second factor is still set up.
	expect(accountByEmail(colleagueEmail)?.recoveryHashes).not.toBeNull();
});

test('a supervisor’s export is produced only under a recorded decision @once', async ({
	browser
}) => {
	const { mine } = await twoCases();
	const supervisor = (await staffPage(browser, 'supervisor')).context();
	const post = (form: Record<string, string>) =>
		supervisor.request.post(`/staff/cases/${mine}/export?/produce`, {
			form,
			maxRedirects: 0,
			headers: { accept: 'text/html', origin: baseURL }
		});
	const exported = async () =>
		(await (await supervisor.request.get(`/staff/cases/${mine}/audit`)).text()).split(
			"Person's data exported"
		).length - 1;

	// No reason: a clear error beside the field, and nothing produced or recorded.
	const refused = await post({ staffNotes: 'withhold', reason: '  ', format: 'html' });
	expect(refused.status()).toBe(400);
	expect(await refused.text()).toContain('Give a reason for the decision');
	expect(await exported()).toBe(0);

	// The printable page, under the decision just recorded.
	const page = await post({
		staffNotes: 'withhold',
		reason: 'Risk to a third party.',
		format: 'html'
	});
	expect(page.status()).toBe(200);
	const html = await page.text();
	expect(html).toContain('The information we hold about you');
	expect(html).toContain(mine);
	expect(await exported()).toBe(1);

	// The JSON file: the decision is recorded, then the file is fetched under it, once it exists.
	const decided = await post({ staffNotes: 'include', reason: 'No exemption.', format: 'json' });
	expect(decided.status()).toBe(303);
	const file = await supervisor.request.get(decided.headers()['location']!, { maxRedirects: 0 });
	expect(file.status()).toBe(200);
	expect(file.headers()['content-disposition']).toMatch(/^attachment; filename="onedoor-/);
	expect(file.headers()['cache-control']).toBe('no-store');
	expect(((await file.json()) as { reference: string }).reference).toBe(mine);
	expect(await exported()).toBe(2);
	// Each copy of the file is in the trail, a second fetch under the same decision too.
	const downloads = async () =>
		(await (await supervisor.request.get(`/staff/cases/${mine}/audit`)).text()).split(
			"Person's data export downloaded"
		).length - 1;
	expect(await downloads()).toBe(1);
	const again = await supervisor.request.get(decided.headers()['location']!, { maxRedirects: 0 });
	expect(again.status()).toBe(200);
	expect(await downloads()).toBe(2);
	expect(await exported()).toBe(2);
	await supervisor.close();
});
