import { expect } from '@playwright/test';
import { baseURL, neutralURL } from '../../playwright.config';
import { dismissExitNotice, test } from './helpers';

test.describe('quick exit', () => {
	test.beforeEach(async ({ page }) => dismissExitNotice(page));

	test('is a plain link to the neutral site that works without JavaScript', async ({ page }) => {
		await page.goto('/safety');
		const exit = page.getByRole('button', { name: /Quick exit/ });
		await expect(exit).toHaveAttribute('href', neutralURL);
		await expect(exit).toHaveAttribute('rel', 'nofollow noreferrer');
		await exit.click();
		await expect(page).toHaveURL(neutralURL);
		await expect(page).toHaveTitle('Weather');
	});

	test('stays in reach when the page scrolls', async ({ page }) => {
		await page.setViewportSize({ width: 375, height: 600 });
		await page.goto('/privacy');
		await page.mouse.wheel(0, 3000);
		await expect(page.getByRole('button', { name: /Quick exit/ })).toBeInViewport();
	});

	test('is reached by keyboard straight after the skip link', async ({ page }) => {
		await page.goto('/');
		await page.keyboard.press('Tab');
		await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
		await page.keyboard.press('Tab');
		await expect(page.getByRole('button', { name: /Quick exit/ })).toBeFocused();
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(neutralURL);
	});
});

test.describe('quick exit with JavaScript @js', () => {
	test.beforeEach(async ({ page }) => dismissExitNotice(page));

	test('leaves so that Back does not show the page that was left', async ({ page }) => {
		await page.goto('/');
		await page.getByRole('link', { name: 'Staying safe online' }).first().click();
		await expect(page).toHaveURL(/\/safety$/);
		await page.getByRole('button', { name: /Quick exit/ }).click();
		await expect(page).toHaveURL(neutralURL);
		await page.goBack();
		await expect(page).not.toHaveURL(/\/safety$/);
		await expect(page).toHaveURL(new RegExp(`^${baseURL}/$`));
	});

	test('pressing Shift three times leaves, announcing the count', async ({ page }) => {
		await page.goto('/pl/safety');
		const status = page.locator('[data-quick-exit-status]');
		await page.keyboard.press('Shift');
		await expect(status).toHaveAttribute('aria-live', 'polite');
		await expect(status).not.toBeEmpty();
		const first = await status.textContent();
		await page.keyboard.press('Shift');
		await expect(status).not.toHaveText(first ?? '');
		await page.keyboard.press('Shift');
		await expect(page).toHaveURL(neutralURL);
	});

	test('typing a capital letter does not count towards the three Shifts', async ({ page }) => {
		await page.goto('/');
		await page.keyboard.press('Shift');
		await page.keyboard.press('Shift+A');
		await page.keyboard.press('Shift');
		await expect(page).toHaveURL(new RegExp(`^${baseURL}/$`));
	});

	test('clears session storage and tells the server to end the visit', async ({ page }) => {
		await page.goto('/');
		await page.evaluate(() => sessionStorage.setItem('draft', 'something private'));
		await page.getByRole('link', { name: 'Other ways to get help' }).first().click();
		await expect(page).toHaveURL(/\/help$/);
		const beacon = page.waitForRequest(
			(request) => request.url().endsWith('/quick-exit') && request.method() === 'POST'
		);
		await page.getByRole('button', { name: /Quick exit/ }).click();
		await beacon;
		await expect(page).toHaveURL(neutralURL);
		await page.goBack();
		await expect(page).toHaveURL(new RegExp(`^${baseURL}/$`));
		expect(await page.evaluate(() => sessionStorage.getItem('draft'))).toBeNull();
	});
});
