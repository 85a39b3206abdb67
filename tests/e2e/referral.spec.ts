import { expect, type Locator, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { baseURL, databasePath } from '../../playwright.config';
import { dismissExitNotice, expectAccessible, languages, test } from './helpers';
import { messages, type Messages } from './messages';
import { referralDraft } from './people';

/** The steps of a victim's or a witness's referral, in order. */
const referralSteps = [
	'/safe-now',
	'/who',
	'/what-happened',
	'/account',
	'/police',
	'/needs',
	'/contact',
	'/language',
	'/consent',
	'/passphrase'
];

const passphrase = 'purple kettle river moon';

function db() {
	return new Database(databasePath, { readonly: true, fileMustExist: true });
}

async function choose(page: Page, label: string) {
	await page.getByLabel(label, { exact: true }).check();
}

async function next(page: Page, m: Messages) {
	await page.getByRole('button', { name: m.refer.continue }).click();
}

/**
 * Moves focus to the control as a keyboard user would: Tab between controls and, inside a group
 * of radios (one Tab stop), the arrow keys. The control is found once, and each key press is
 * followed by one question to the page: is it focused, or is its radio group?
 */
async function tabTo(page: Page, target: Locator) {
	const element = await target.elementHandle();
	try {
		const focus = () =>
			element.evaluate((el) => {
				if (el === document.activeElement) return 'there';
				const active = document.activeElement;
				const sameGroup =
					el instanceof HTMLInputElement &&
					el.type === 'radio' &&
					active instanceof HTMLInputElement &&
					active.name === el.name;
				return sameGroup ? 'group' : 'elsewhere';
			});
		for (let i = 0; i < 60; i++) {
			await page.keyboard.press('Tab');
			let at = await focus();
			for (let j = 0; at === 'group' && j < 20; j++) {
				await page.keyboard.press('ArrowDown');
				at = await focus();
			}
			if (at === 'there') return;
		}
	} finally {
		await element.dispose();
	}
	throw new Error('could not reach the control with Tab');
}

/** Sends the referral from the check page and reads the reference the person is given. */
async function send(page: Page, m: Messages): Promise<string> {
	await page.getByRole('button', { name: m.refer.check.send }).click();
	return sent(page, m);
}

async function sent(page: Page, m: Messages): Promise<string> {
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.done.heading);
	await expectAccessible(page);
	const reference = (await page.locator('.reference').textContent())?.trim() ?? '';
	expect(reference).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
	return reference;
}

/** Gives the browser a draft the fixtures answered, as if it had answered those steps itself. */
async function useDraft(page: Page, token: string) {
	await page
		.context()
		.addCookies([{ name: 'od_referral', value: token, url: baseURL, httpOnly: true }]);
}

// Axe scans each step once in each direction (without JavaScript a scan does not depend on the
// direction: see expectAccessible), on a draft the fixtures answered, so the check page is full.
// Four pages a test, so that the scans share out between the workers.
const scanned = {
	'the start and the first steps': ['', ...referralSteps.slice(0, 3)],
	'the middle steps': referralSteps.slice(3, 7),
	'the last steps and the check page': [...referralSteps.slice(7), '/check']
};
for (const { code, prefix } of languages.filter((l) => l.code !== 'pl')) {
	for (const [part, steps] of Object.entries(scanned)) {
		test(`${part} of the referral pass axe, ${code}${code === 'ar' ? ' @once' : ''}`, async ({
			page
		}) => {
			await dismissExitNotice(page);
			await useDraft(page, await referralDraft());
			for (const step of steps) {
				await page.goto(`${prefix}/refer${step}`);
				await expect(page.getByRole('heading', { level: 1 }), step).toHaveCount(1);
				await expectAccessible(page);
			}
		});
	}
}

test('each language is named in itself and marked as that language, for screen readers @once', async ({
	page
}) => {
	const en = messages('en');
	await dismissExitNotice(page);
	await useDraft(
		page,
		await referralDraft({ language: { language: 'ar', interpreter: 'no', accessNeeds: '' } })
	);
	await page.goto('/refer/language');
	await expect(page.locator('label', { hasText: 'العربية' })).toHaveAttribute('lang', 'ar');
	await expect(page.locator('label', { hasText: '中文' })).toHaveAttribute('lang', 'zh');
	await expect(page.locator('label', { hasText: en.refer.language.other })).not.toHaveAttribute(
		'lang',
		/./
	);
	// The check page says the chosen one the same way.
	await page.goto('/refer/check');
	const answer = page
		.locator('dt')
		.getByText(en.refer.language.language, { exact: true })
		.locator('xpath=following-sibling::dd[1]');
	await expect(answer).toHaveText('العربية');
	await expect(answer).toHaveAttribute('lang', 'ar');
});

// The one journey walked step by step in the browser, in each JavaScript mode, with the keyboard
// alone. The other journeys answer the steps they are not about through the fixtures (people.ts).
test('a victim with no police report refers themself in English, with the keyboard alone', async ({
	page
}) => {
	const m = messages('en');
	const r = m.refer;
	const account = 'He came back again <script>alert("x")</script> 😢 and I am scared.';
	const cont = page.getByRole('button', { name: r.continue });
	const heading = page.getByRole('heading', { level: 1 });
	const atStep = (title: string) => expect(heading).toHaveText(title);
	const pick = async (label: string) => {
		await tabTo(page, page.getByLabel(label, { exact: true }));
		await page.keyboard.press('Space');
	};
	const pickNo = async (group: string) => {
		await tabTo(
			page,
			page.getByRole('group', { name: group }).getByLabel(m.common.form.no, { exact: true })
		);
		await page.keyboard.press('Space');
	};
	const submit = async () => {
		await tabTo(page, cont);
		await page.keyboard.press('Enter');
	};
	await dismissExitNotice(page);
	await page.goto('/refer');
	await tabTo(page, page.getByRole('link', { name: r.start.button }));
	await page.keyboard.press('Enter');

	await atStep(r.safeNow.legend);
	await pick(r.safeNow.safe);
	await submit();
	await atStep(r.who.legend);
	await pick(r.who.victim);
	await submit();
	await atStep(r.happened.heading);
	await pick(r.happened.crimeTypes.domestic_abuse);
	await pick(r.happened.whens.month);
	await submit();
	await atStep(r.account.heading);
	await tabTo(page, page.getByLabel(r.account.label));
	await page.keyboard.type(account);
	await submit();
	await atStep(r.police.legend);
	await pick(r.police.not_reported);
	await submit();
	await atStep(r.needs.legend);
	await pick(r.needs.emotional);
	await pick(r.needs.safety);
	await pickNo(r.needs.childAtRisk);
	await submit();
	await atStep(r.contact.heading);
	await pick(r.contact.portal);
	await submit();
	await atStep(r.language.heading);
	await pickNo(r.language.interpreter);
	await submit();
	// Sharing with partner agencies is left unticked.
	await atStep(r.consent.heading);
	await submit();
	await atStep(r.passphrase.heading);
	await tabTo(page, page.getByLabel(r.passphrase.label, { exact: true }));
	await page.keyboard.type(passphrase);
	await tabTo(page, page.getByLabel(r.passphrase.confirm));
	await page.keyboard.type(passphrase);
	await submit();
	await atStep(r.check.heading);
	// Markup typed into a field comes back as text, never as markup.
	await expect(page.getByText(account)).toBeVisible();
	await tabTo(page, page.getByRole('button', { name: r.check.send }));
	await page.keyboard.press('Enter');
	const reference = await sent(page, m);
	// Domestic abuse is high priority: 2 working days, and a date the person can hold us to.
	await expect(page.getByText(/within 2 working days, by \w+day,? \d+ \w+ 20\d\d/)).toBeVisible();

	const database = db();
	const row = database
		.prepare(
			'select status, priority, police_reported, consent_share from cases where reference = ?'
		)
		.get(reference);
	database.close();
	expect(row).toEqual({
		status: 'new',
		priority: 2,
		police_reported: 'not_reported',
		consent_share: 0
	});
	const raw = readFileSync(databasePath, 'latin1') + readFileSync(`${databasePath}-wal`, 'latin1');
	expect(raw).not.toContain('He came back again');
});

test('a witness with a crime reference refers themself, in Arabic', async ({ page }) => {
	const m = messages('ar');
	await dismissExitNotice(page);
	await useDraft(
		page,
		await referralDraft(
			{
				who: { who: 'witness' },
				'what-happened': { crimeType: 'violence', when: 'month', date: '' },
				needs: { needs: ['court'], childAtRisk: 'no' },
				language: { language: 'ar', interpreter: 'no', accessNeeds: '' },
				consent: { share: 'yes' },
				passphrase: { passphrase, confirm: passphrase }
			},
			['police', 'contact']
		)
	);
	await page.goto('/ar/refer/police');
	await choose(page, m.refer.police.reported);
	await page.getByLabel(m.refer.police.crimeReference).fill('CAD4821/26');
	await next(page, m);
	await expect(page).not.toHaveURL(/\/refer\/police$/);

	await page.goto('/ar/refer/contact');
	await choose(page, m.refer.contact.phone);
	await page.getByLabel(m.refer.contact.name).fill('ليلى');
	await page.getByLabel(m.refer.contact.phoneNumber).fill('07700 900 982');
	await page
		.getByRole('group', { name: m.refer.contact.voicemail })
		.getByLabel(m.common.form.no, { exact: true })
		.check();
	await page
		.getByRole('group', { name: m.refer.contact.sayWhoWeAre })
		.getByLabel(m.common.form.no, { exact: true })
		.check();
	await page.getByLabel(m.refer.contact.safeTimes).fill('10:00–12:00');
	await next(page, m);
	await expect(page).not.toHaveURL(/\/refer\/contact$/);

	await page.goto('/ar/refer/check');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.check.heading);
	await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
	await expect(page.getByText('CAD4821/26')).toBeVisible();
	await expect(page.getByText('ليلى')).toBeVisible();
	const reference = await send(page, m);
	const database = db();
	const row = database
		.prepare('select police_reported, safe_channels, consent_share from cases where reference = ?')
		.get(reference);
	database.close();
	expect(row).toEqual({
		police_reported: 'reported',
		safe_channels: '["phone"]',
		consent_share: 1
	});
});

test('a friend refers someone else, in Polish', async ({ page }) => {
	const m = messages('pl');
	await dismissExitNotice(page);
	await useDraft(
		page,
		await referralDraft(
			{
				'what-happened': { crimeType: 'stalking', when: 'month', date: '' },
				account: { account: 'Ktoś chodzi za nią od miesiąca.' },
				needs: { needs: ['emotional'], childAtRisk: 'no' },
				contact: { channels: ['email'], email: 'przyjaciel@example.org' },
				language: { language: 'pl', interpreter: 'no', accessNeeds: '' },
				passphrase: { passphrase, confirm: passphrase }
			},
			['who']
		)
	);
	await page.goto('/pl/refer/who');
	await choose(page, m.refer.who.family);
	await next(page, m);
	// Someone else's referral asks about them, on a step of its own.
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.them.heading);
	await expectAccessible(page);
	await page.getByLabel(m.refer.them.name).fill('Zofia Żółć 🌻');
	await page
		.getByRole('group', { name: m.refer.them.knows })
		.getByLabel(m.common.form.no, { exact: true })
		.check();
	await next(page, m);
	await expect(page).not.toHaveURL(/\/refer\/them$/);

	await page.goto('/pl/refer/check');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.check.heading);
	await expect(page.getByText('Zofia Żółć 🌻')).toBeVisible();
	const reference = await send(page, m);
	const database = db();
	const row = database
		.prepare(
			'select r.relationship from cases c join referrals r on r.id = c.referral_id where c.reference = ?'
		)
		.get(reference);
	database.close();
	expect(row).toEqual({ relationship: 'family' });
});

test('a missing answer gets a translated error summary that links to the field', async ({
	page
}) => {
	const m = messages('pl');
	// A small phone's screen, so that following the link has to scroll.
	await page.setViewportSize({ width: 360, height: 560 });
	await dismissExitNotice(page);
	await page.goto('/pl/refer/safe-now');
	await next(page, m);
	const summary = page.getByRole('alert');
	await expect(summary).toContainText(m.refer.errors.safeNow);
	// Focus can only move with JavaScript; without it the summary is still the first thing read.
	if (test.info().project.use.javaScriptEnabled !== false) await expect(summary).toBeFocused();
	await expect(page.locator('#safeNow-error')).toHaveText(m.refer.errors.safeNow);
	await expectAccessible(page);
	await summary.getByRole('link').click();
	await expect(page.locator('#safeNow')).toBeFocused();
	// The field, and with JavaScript its question too, is in view below the quick-exit bar, which
	// stays at the top of the screen: not hidden under it.
	const bar = (await page.locator('.quick-exit').boundingBox())!;
	const shown = test.info().project.use.javaScriptEnabled !== false ? 'legend' : '#safeNow';
	const question = (await page.locator(`fieldset:has(#safeNow) ${shown}`).first().boundingBox())!;
	expect(question.y).toBeGreaterThanOrEqual(bar.y + bar.height);
	expect(question.y + question.height).toBeLessThanOrEqual(560);
});

test('saying you are in danger shows 999 and still lets you go on', async ({ page }) => {
	const m = messages('en');
	await dismissExitNotice(page);
	await page.goto('/refer/safe-now');
	await choose(page, m.refer.safeNow.danger);
	await next(page, m);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.emergency.heading);
	await expect(page.getByRole('link', { name: m.refer.emergency.call })).toHaveAttribute(
		'href',
		'tel:999'
	);
	await expectAccessible(page);
	await page.getByRole('link', { name: m.refer.emergency.button }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.who.legend);
});

// The referral pages promise the answers "are deleted if you press Quick exit", and the safety
// page that Back does not show them again: with JavaScript on and off.
test('the draft survives a reload; quick exit deletes it, and Back shows nothing of it', async ({
	page,
	context
}) => {
	const m = messages('en');
	await dismissExitNotice(page);
	await page.goto('/refer/account');
	await page.getByLabel(m.refer.account.label).fill('Something private');
	await next(page, m);
	await expect(page).not.toHaveURL(/\/refer\/account$/);
	await page.goto('/refer/account');
	await page.reload();
	await expect(page.getByLabel(m.refer.account.label)).toHaveValue('Something private');
	const draft = (await context.cookies()).find((cookie) => cookie.name === 'od_referral');
	const exists = () => {
		const database = db();
		const row = database.prepare('select id from referral_drafts where id = ?').get(draft!.value);
		database.close();
		return row !== undefined;
	};
	expect(exists()).toBe(true);

	await page.getByRole('button', { name: /Quick exit/ }).click();
	await expect(page).toHaveTitle('Weather');
	await expect.poll(exists).toBe(false);
	// Without JavaScript Back returns to the step that was left, fetched again and empty; with
	// it, the step was replaced in the history and Back goes to the one before.
	await page.goBack();
	await expect(page.locator('body')).not.toContainText('Something private');
	const account = page.getByLabel(m.refer.account.label);
	if (test.info().project.use.javaScriptEnabled === false) {
		await expect(page).toHaveURL(/\/refer\/account$/);
		await expect(account).toHaveValue('');
	} else {
		await expect(page).not.toHaveURL(/\/refer\/account$/);
	}
	for (const path of ['/refer/account', '/refer/check']) {
		await page.goto(path);
		await expect(page.locator('body')).not.toContainText('Something private');
	}
	await page.goto('/refer/account');
	await expect(account).toHaveValue('');
});

test('sending twice makes one referral @once', async ({ page }) => {
	const m = messages('en');
	await dismissExitNotice(page);
	await useDraft(
		page,
		await referralDraft({
			'what-happened': { crimeType: 'burglary', when: 'month', date: '' },
			account: { account: 'Twice' },
			needs: { needs: ['practical'], childAtRisk: 'no' },
			passphrase: { passphrase, confirm: passphrase }
		})
	);
	await page.goto('/refer/check');
	await expect(page.getByText('Twice')).toBeVisible();
	await page.getByRole('button', { name: m.refer.check.send }).dblclick();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.done.heading);
	const reference = await page.locator('.reference').textContent();
	await page.goBack();
	await page.getByRole('button', { name: m.refer.check.send }).click();
	// The same reference again, not a second referral (the database also allows one per draft).
	await expect(page.locator('.reference')).toHaveText(reference ?? '');
});

test('once written down, the reference leaves the browser, and the referral stays', async ({
	page,
	context
}) => {
	const m = messages('en');
	await dismissExitNotice(page);
	await useDraft(page, await referralDraft({ account: { account: 'Written down' } }));
	await page.goto('/refer/check');
	const reference = await send(page, m);
	const draft = (await context.cookies()).find((cookie) => cookie.name === 'od_referral');
	expect(draft).toBeDefined();

	await page.getByRole('button', { name: m.refer.done.forget }).click();
	await expect(page.getByText(m.refer.done.gone)).toBeVisible();
	await expect(page.locator('body')).not.toContainText(reference);
	await expectAccessible(page);
	expect((await context.cookies()).some((cookie) => cookie.name === 'od_referral')).toBe(false);
	const database = db();
	const left = database.prepare('select id from referral_drafts where id = ?').get(draft!.value);
	const sentCase = database.prepare('select status from cases where reference = ?').get(reference);
	database.close();
	expect(left).toBeUndefined();
	expect(sentCase).toEqual({ status: 'new' });
	// Back to the page that showed it: fetched again, it shows nothing of it.
	await page.goBack();
	await expect(page.getByText(m.refer.done.gone)).toBeVisible();
	await expect(page.locator('body')).not.toContainText(reference);

	// The person, with the reference they wrote down, signs in to their case.
	await page.goto('/sign-in');
	await page.getByLabel(m.signIn.reference).fill(reference);
	await page.getByLabel(m.signIn.passphrase).fill('silver teapot garden rain');
	await page.getByRole('button', { name: m.signIn.submit }).click();
	await expect(page).toHaveURL(/\/my$/);
});

test('removing a reference never touches a referral still being written @once', async ({
	page,
	context
}) => {
	const token = await referralDraft({ account: { account: 'Still writing' } });
	await useDraft(page, token);
	const response = await page.request.post('/refer/done?/forget', {
		form: {},
		headers: { accept: 'text/html' },
		maxRedirects: 0
	});
	expect(response.status()).toBe(303);
	const database = db();
	const kept = database.prepare('select id from referral_drafts where id = ?').get(token);
	database.close();
	expect(kept).toEqual({ id: token });
	expect((await context.cookies()).find((c) => c.name === 'od_referral')?.value).toBe(token);
	await page.goto('/refer/check');
	await expect(page.getByText('Still writing')).toBeVisible();
});
