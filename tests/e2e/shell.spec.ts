import { expect } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { dismissExitNotice, expectAccessible, languages, test } from './helpers';

const pages = ['/', '/safety', '/help', '/privacy', '/accessibility'];
const urlOf = (prefix: string, path: string) =>
	prefix + (path === '/' && prefix ? '' : path) || '/';
const returning = { cookie: 'od_exit_notice=seen' };

// What needs no browser is checked over HTTP, for every page in every language.
for (const { code, prefix, dir } of languages) {
	test(`every public page in ${code} has the shell, the language, the direction and a title @once`, async ({
		request
	}) => {
		for (const path of pages) {
			const url = urlOf(prefix, path);
			const response = await request.get(url, { headers: returning });
			expect(response.status(), url).toBe(200);
			const html = await response.text();
			expect(html, url).toMatch(new RegExp(`<html[^>]* lang="${code}"[^>]* dir="${dir}"`));
			expect(html, url).toMatch(/<title>[^<]*\S[^<]* – OneDoor<\/title>/);
			expect(html.match(/<h1[\s>]/g), url).toHaveLength(1);
			for (const landmark of ['<main', '<header', '<footer']) expect(html, url).toContain(landmark);
			expect(html.slice(html.indexOf('<footer')), url).toContain('999');
			expect(html, url).toMatch(/data-quick-exit/);
			expect(html, url).toContain(`hreflang="pl" href="${baseURL}/pl${path === '/' ? '' : path}"`);
		}
		const missing = await request.get(`${prefix}/no-such-page`, { headers: returning });
		expect(missing.status()).toBe(404);
		const html = await missing.text();
		expect(html).toMatch(new RegExp(`<html[^>]* lang="${code}"`));
		expect(html).toMatch(/data-quick-exit/);
	});
}

// Axe scans each page template once left to right and once right to left.
for (const { code, prefix } of languages.filter((l) => l.code !== 'pl')) {
	test(`every public page and the not-found page pass axe, ${code} @once`, async ({ page }) => {
		await dismissExitNotice(page);
		for (const path of [...pages, '/no-such-page']) {
			const url = urlOf(prefix, path);
			await page.goto(url);
			await expect(page.getByRole('heading', { level: 1 }), url).toHaveCount(1);
			await expect(page.locator('[data-quick-exit]'), url).toBeVisible();
			await expectAccessible(page);
		}
	});
}

test('without JavaScript a public page keeps its quick exit and passes axe', async ({ page }) => {
	await dismissExitNotice(page);
	await page.goto('/help');
	await expect(page.locator('[data-quick-exit]')).toBeVisible();
	await expectAccessible(page);
});

test('page titles are different for each page @once', async ({ request }) => {
	const titles = new Set<string>();
	for (const path of pages) {
		const html = await (await request.get(path, { headers: returning })).text();
		titles.add(/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '');
	}
	expect(titles.size).toBe(pages.length);
});

// The header's way to other languages: languages.spec.ts.

test('at 320 pixels wide nothing scrolls sideways @once', async ({ page }) => {
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
		// (The browser's English may also be offered on this Polish page: languages.spec.ts.)
		const notice = page.getByRole('region').filter({ has: page.locator('#exit-notice-title') });
		await expect(notice).toBeVisible();
		await expectAccessible(page, 'exit notice');
		await notice.getByRole('button').click();
		await expect(page).toHaveURL(/\/pl\/help$/);
		await expect(page.locator('#exit-notice-title')).toHaveCount(0);
		await page.goto('/');
		await expect(page.locator('#exit-notice-title')).toHaveCount(0);
	});
});

test('the staff console has its own shell: no quick exit, no languages, its own not-found page @once', async ({
	request
}) => {
	for (const [path, status] of [
		['/staff/sign-in', 200],
		['/staff/no-such-page', 404]
	] as const) {
		// A first visit: the people's shell would show the notice about leaving quickly.
		const response = await request.get(path, { maxRedirects: 0 });
		expect(response.status(), path).toBe(status);
		const html = await response.text();
		expect(html, path).toContain('Staff console');
		expect(html, path).not.toMatch(/data-quick-exit|hreflang=|exit-notice-title/);
		expect(html.match(/<main[\s>]/g), path).toHaveLength(1);
	}
	// And a person's page keeps all three, whatever the console looks like.
	const html = await (await request.get('/help')).text();
	expect(html).toMatch(/data-quick-exit/);
	expect(html).toContain('hreflang="ar"');
	expect(html).toContain('exit-notice-title');
});
