import { expect } from '@playwright/test';
import { locales } from '../../src/lib/i18n/locales';
import { expectAccessible, test } from './helpers';
import { staffPage } from './staff';

// An admin sees which languages a native speaker has checked, and how much English changed since.
test('an admin sees each language and whether it awaits review @once', async ({ browser }) => {
	const admin = await staffPage(browser, 'admin');
	await admin.goto('/staff');
	await admin.getByRole('link', { name: 'Translations' }).click();
	await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Translations');
	const rows = admin.getByRole('table', { name: 'Languages and their review' }).getByRole('row');
	await expect(rows).toHaveCount(locales.length + 1);
	const row = (name: string) =>
		rows.filter({ has: admin.getByRole('cell', { name, exact: true }) });
	await expect(row('English')).toContainText('the text every language is translated from');
	// No language has been checked by a native speaker yet: every English text is still to check.
	await expect(row('Polski')).toContainText('Awaiting review by a native speaker');
	await expect(row('Polski')).toContainText(/\d+ texts of \d+/);
	await expectAccessible(admin);
});
