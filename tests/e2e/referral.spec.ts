import { expect, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { databasePath } from '../../playwright.config';
import { dismissExitNotice, expectAccessible, test } from './helpers';
import { messages, type Messages } from './messages';

type Refer = Messages['refer'];

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

/** Goes through the journey as a person would, scanning every step with axe. */
async function refer(
	page: Page,
	lang: 'en' | 'pl' | 'ar',
	person: {
		who: 'victim' | 'witness' | 'family';
		them?: { name: string; knows: string };
		crimeType: keyof Refer['happened']['crimeTypes'];
		account: string;
		police: 'reported' | 'not_reported';
		crimeReference?: string;
		needs: ('emotional' | 'safety' | 'court' | 'practical')[];
		channels: ('portal' | 'phone' | 'email' | 'text')[];
		name?: string;
		phone?: string;
		email?: string;
		consentShare: boolean;
	}
) {
	const m = messages(lang);
	const prefix = lang === 'en' ? '' : `/${lang}`;
	await dismissExitNotice(page);
	await page.goto(`${prefix}/refer`);
	await expectAccessible(page);
	await page.getByRole('link', { name: m.refer.start.button }).click();

	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.safeNow.legend);
	await expectAccessible(page);
	await choose(page, m.refer.safeNow.safe);
	await next(page, m);

	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.who.legend);
	await expectAccessible(page);
	await choose(page, m.refer.who[person.who]);
	await next(page, m);

	if (person.them) {
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.them.heading);
		await expectAccessible(page);
		await page.getByLabel(m.refer.them.name).fill(person.them.name);
		await page
			.getByRole('group', { name: m.refer.them.knows })
			.getByLabel(m.common.form[person.them.knows === 'no' ? 'no' : 'yes'], { exact: true })
			.check();
		await next(page, m);
	}

	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.happened.heading);
	await expectAccessible(page);
	await choose(page, m.refer.happened.crimeTypes[person.crimeType]);
	await choose(page, m.refer.happened.whens.month);
	await next(page, m);

	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.account.heading);
	await expectAccessible(page);
	await page.getByLabel(m.refer.account.label).fill(person.account);
	await next(page, m);

	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.police.legend);
	await expectAccessible(page);
	await choose(page, m.refer.police[person.police]);
	if (person.crimeReference) {
		await page.getByLabel(m.refer.police.crimeReference).fill(person.crimeReference);
	}
	await next(page, m);

	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.needs.legend);
	await expectAccessible(page);
	for (const need of person.needs) await choose(page, m.refer.needs[need]);
	await page
		.getByRole('group', { name: m.refer.needs.childAtRisk })
		.getByLabel(m.common.form.no, { exact: true })
		.check();
	await next(page, m);

	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.contact.heading);
	await expectAccessible(page);
	for (const channel of person.channels) await choose(page, m.refer.contact[channel]);
	if (person.name) await page.getByLabel(m.refer.contact.name).fill(person.name);
	if (person.phone) {
		await page.getByLabel(m.refer.contact.phoneNumber).fill(person.phone);
		await page
			.getByRole('group', { name: m.refer.contact.voicemail })
			.getByLabel(m.common.form.no, { exact: true })
			.check();
		await page
			.getByRole('group', { name: m.refer.contact.sayWhoWeAre })
			.getByLabel(m.common.form.no, { exact: true })
			.check();
		await page.getByLabel(m.refer.contact.safeTimes).fill('10:00–12:00');
	}
	if (person.email) await page.getByLabel(m.refer.contact.emailAddress).fill(person.email);
	await next(page, m);

	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.language.heading);
	await expectAccessible(page);
	await page
		.getByRole('group', { name: m.refer.language.interpreter })
		.getByLabel(m.common.form.no, { exact: true })
		.check();
	await next(page, m);

	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.consent.heading);
	await expectAccessible(page);
	if (person.consentShare) await page.getByLabel(m.refer.consent.share).check();
	await next(page, m);

	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.passphrase.heading);
	await expectAccessible(page);
	await page.getByLabel(m.refer.passphrase.label, { exact: true }).fill(passphrase);
	await page.getByLabel(m.refer.passphrase.confirm).fill(passphrase);
	await next(page, m);

	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.check.heading);
	await expectAccessible(page);
	return m;
}

async function send(page: Page, m: Messages): Promise<string> {
	await page.getByRole('button', { name: m.refer.check.send }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.done.heading);
	await expectAccessible(page);
	const reference = (await page.locator('.reference').textContent())?.trim() ?? '';
	expect(reference).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
	return reference;
}

test('a victim with no police report refers themself, in English', async ({ page }) => {
	const account = 'He came back again <script>alert("x")</script> 😢 and I am scared.';
	const m = await refer(page, 'en', {
		who: 'victim',
		crimeType: 'domestic_abuse',
		account,
		police: 'not_reported',
		needs: ['emotional', 'safety'],
		channels: ['portal'],
		consentShare: false
	});
	// Markup typed into a field comes back as text, never as markup.
	await expect(page.getByText(account)).toBeVisible();
	const reference = await send(page, m);
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
	const m = await refer(page, 'ar', {
		who: 'witness',
		crimeType: 'violence',
		account: '',
		police: 'reported',
		crimeReference: 'CAD4821/26',
		needs: ['court'],
		channels: ['phone'],
		name: 'ليلى',
		phone: '07700 900 982',
		consentShare: true
	});
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
	const m = await refer(page, 'pl', {
		who: 'family',
		them: { name: 'Zofia Żółć 🌻', knows: 'no' },
		crimeType: 'stalking',
		account: 'Ktoś chodzi za nią od miesiąca.',
		police: 'not_reported',
		needs: ['emotional'],
		channels: ['email'],
		email: 'przyjaciel@example.org',
		consentShare: false
	});
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
	const m = await refer(page, 'en', {
		who: 'victim',
		crimeType: 'burglary',
		account: 'Twice',
		police: 'not_reported',
		needs: ['practical'],
		channels: ['portal'],
		consentShare: false
	});
	await page.getByRole('button', { name: m.refer.check.send }).dblclick();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.refer.done.heading);
	const reference = await page.locator('.reference').textContent();
	await page.goBack();
	await page.getByRole('button', { name: m.refer.check.send }).click();
	// The same reference again, not a second referral (the database also allows one per draft).
	await expect(page.locator('.reference')).toHaveText(reference ?? '');
});
