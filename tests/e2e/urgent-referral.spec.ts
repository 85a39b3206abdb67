import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { dismissExitNotice, test } from './helpers';
import { messages } from './messages';

const languages = ['en', 'pl', 'ar'] as const;
const prefix = (lang: string) => (lang === 'en' ? '' : `/${lang}`);

/** A page's visible words, as one line of text: tags dropped, entities and spaces undone. */
function textOf(html: string): string {
	return html
		.replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&#39;|&#x27;|&apos;/g, "'")
		.replace(/&quot;/g, '"')
		.replace(/&amp;/g, '&')
		.replace(/&nbsp;/g, ' ')
		.replace(/\s+/g, ' ');
}

async function pageText(request: APIRequestContext, path: string): Promise<string> {
	const response = await request.get(path);
	expect(response.status(), path).toBe(200);
	return textOf(await response.text());
}

for (const lang of languages) {
	test(`the home and help pages give the whole Silent Solution, in ${lang} @once`, async ({
		request
	}) => {
		const { intro, steps } = messages(lang).common.silentSolution;
		const home = await pageText(request, prefix(lang) || '/');
		const help = await pageText(request, `${prefix(lang)}/help`);
		for (const line of [intro, ...steps]) {
			expect(home, `home: ${line}`).toContain(line);
			expect(help, `help: ${line}`).toContain(line);
		}
		// London's sexual assault referral centres, open day and night.
		expect(help).toContain('The Havens');
		expect(help).toContain('020 3299 6900');
	});
}

/** Posts one referral step as a form would, following no redirect; returns where it sends us. */
async function post(request: APIRequestContext, path: string, fields: [string, string][]) {
	const response = await request.post(path, {
		// As a browser without JavaScript sends it: SvelteKit answers JSON to anything else.
		headers: {
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded',
			'sec-fetch-site': 'same-origin'
		},
		data: new URLSearchParams(fields).toString(),
		maxRedirects: 0
	});
	expect(response.status(), path).toBe(303);
	return response.headers()['location'];
}

test('an urgent referral is told by when, and what happens out of hours @once', async ({
	request
}) => {
	const m = messages('en');
	expect(await post(request, '/refer/safe-now', [['safeNow', 'danger']])).toBe('/refer/emergency');
	const steps: [string, [string, string][]][] = [
		['who', [['who', 'victim']]],
		[
			'what-happened',
			[
				['crimeType', 'violence'],
				['when', 'week'],
				['date', '']
			]
		],
		['account', [['account', 'He said he would come back tonight.']]],
		[
			'police',
			[
				['police', 'not_reported'],
				['crimeReference', '']
			]
		],
		[
			'needs',
			[
				['needs', 'safety'],
				['childAtRisk', 'no']
			]
		],
		[
			'contact',
			[
				['channels', 'portal'],
				['name', 'Sam'],
				['phone', ''],
				['email', ''],
				['voicemail', ''],
				['sayWhoWeAre', ''],
				['safeTimes', ''],
				['alternative', '']
			]
		],
		[
			'language',
			[
				['language', 'en'],
				['interpreter', 'no'],
				['accessNeeds', '']
			]
		],
		['consent', [['share', 'yes']]],
		[
			'passphrase',
			[
				['passphrase', 'amber lantern orchard tide'],
				['confirm', 'amber lantern orchard tide']
			]
		]
	];
	for (const [step, fields] of steps) await post(request, `/refer/${step}`, fields);
	expect(await post(request, '/refer/check', [])).toBe('/refer/done');
	const done = await pageText(request, '/refer/done');
	expect(done).toContain(m.refer.done.urgent);
	expect(done).toMatch(
		/within 1 working day, by (Monday|Tuesday|Wednesday|Thursday|Friday),? \d+ \w+ 20\d\d at \d\d:\d\d/
	);
	expect(done).toContain(m.refer.done.outOfHours);
	expect(done).toContain(m.refer.done.outOfHoursHelp);
});

async function answerSafeNow(page: Page, label: string) {
	await dismissExitNotice(page);
	await page.goto('/refer/safe-now');
	await page.getByLabel(label, { exact: true }).check();
	await page.getByRole('button', { name: messages('en').refer.continue }).click();
}

test('“not sure” if you are safe shows the same safety information as “no”', async ({ page }) => {
	const m = messages('en');
	await answerSafeNow(page, m.refer.safeNow.unsure);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.emergency.heading);
	await expect(page.getByRole('link', { name: m.refer.emergency.call })).toHaveAttribute(
		'href',
		'tel:999'
	);
	for (const step of m.common.silentSolution.steps)
		await expect(page.getByText(step)).toBeVisible();
	await page.getByRole('link', { name: m.refer.emergency.button }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.who.legend);
});
