import { expect } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { dismissExitNotice, expectAccessible, languages, test } from './helpers';

const pages = ['/', '/safety', '/help', '/privacy', '/accessibility'];

for (const language of languages) {
	test.describe(`pages in ${language.code}`, () => {
		test.beforeEach(async ({ page }) => dismissExitNotice(page));

		for (const path of pages) {
			const url = language.prefix + (path === '/' && language.prefix ? '' : path);

			test(`${url || '/'} has the shell, the right language and no axe violation`, async ({
				page
			}) => {
				const response = await page.goto(url || '/');
				expect(response?.status()).toBe(200);
				await expect(page.locator('html')).toHaveAttribute('lang', language.code);
				await expect(page.locator('html')).toHaveAttribute('dir', language.dir);
				await expect(page).toHaveTitle(/\S+ – OneDoor$/);
				await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
				await expect(page.getByRole('main')).toBeVisible();
				await expect(page.getByRole('banner')).toBeVisible();
				await expect(page.getByRole('contentinfo')).toContainText('999');
				await expect(page.locator('[data-quick-exit]')).toBeVisible();
				await expect(page.locator(`link[rel=alternate][hreflang=pl]`)).toHaveAttribute(
					'href',
					baseURL + '/pl' + (path === '/' ? '' : path)
				);
				await expectAccessible(page);
			});
		}

		test('the missing page is translated, keeps the quick exit and says 404', async ({ page }) => {
			const response = await page.goto(`${language.prefix}/no-such-page`);
			expect(response?.status()).toBe(404);
			await expect(page.locator('html')).toHaveAttribute('lang', language.code);
			await expect(page.locator('[data-quick-exit]')).toBeVisible();
			await expectAccessible(page);
		});
	});
}

test('page titles are different for each page', async ({ page }) => {
	await dismissExitNotice(page);
	const titles = new Set<string>();
	for (const path of pages) {
		await page.goto(path);
		titles.add(await page.title());
	}
	expect(titles.size).toBe(pages.length);
});

test('the language picker leads to the same page in each language', async ({ page }) => {
	await dismissExitNotice(page);
	await page.goto('/safety');
	await page.getByRole('navigation', { name: 'Choose a language' }).getByText('العربية').click();
	await expect(page).toHaveURL(/\/ar\/safety$/);
	await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
	await page.getByRole('link', { name: 'Polski' }).click();
	await expect(page).toHaveURL(/\/pl\/safety$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'pl');
});

test('at 320 pixels wide nothing scrolls sideways', async ({ page }) => {
	await page.setViewportSize({ width: 320, height: 640 });
	for (const path of ['/', '/ar', '/pl/safety', '/help']) {
		await page.goto(path);
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
	}
});

test.describe('the first-visit notice', () => {
	test('explains the quick exit until it is dismissed', async ({ page }) => {
		await page.goto('/pl/help');
		const notice = page.getByRole('region', { name: /.+/ }).filter({ has: page.locator('form') });
		await expect(notice).toBeVisible();
		await expectAccessible(page);
		await notice.getByRole('button').click();
		await expect(page).toHaveURL(/\/pl\/help$/);
		await expect(page.locator('#exit-notice-title')).toHaveCount(0);
		await page.goto('/');
		await expect(page.locator('#exit-notice-title')).toHaveCount(0);
	});
});
