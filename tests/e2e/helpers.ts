import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { baseURL } from '../../playwright.config';

const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

async function violations(page: Page): Promise<string[]> {
	const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
	return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`);
}

/**
 * Asserts axe finds no WCAG 2.0, 2.1 or 2.2 A/AA violation on the page as it is now. Axe runs
 * as a script, so for a page seen with JavaScript off it scans the very same HTML in a second,
 * script-enabled page at the same address (the HTML is replayed, not fetched again).
 */
export async function expectAccessible(page: Page): Promise<void> {
	const javaScriptOn = test.info().project.use.javaScriptEnabled !== false;
	let found: string[];
	if (javaScriptOn) {
		found = await violations(page);
	} else {
		const html = await page.content();
		const url = page.url();
		const browser = page.context().browser();
		if (!browser) throw new Error('no browser to scan with');
		const context = await browser.newContext({ javaScriptEnabled: true });
		const copy = await context.newPage();
		await copy.route(url, (route) =>
			route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
		);
		await copy.goto(url);
		found = await violations(copy);
		await context.close();
	}
	expect(found, `axe violations on ${page.url()}`).toEqual([]);
}

/** Hides the first-visit quick-exit notice, as a returning visitor would have. */
export async function dismissExitNotice(page: Page): Promise<void> {
	await page.context().addCookies([{ name: 'od_exit_notice', value: 'seen', url: baseURL }]);
}

/** The languages every page is checked in, with the direction each must have. */
export const languages = [
	{ code: 'en', prefix: '', dir: 'ltr' },
	{ code: 'pl', prefix: '/pl', dir: 'ltr' },
	{ code: 'ar', prefix: '/ar', dir: 'rtl' }
] as const;
