import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { baseURL } from '../../playwright.config';

const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

async function violations(page: Page): Promise<string[]> {
	const results = await new AxeBuilder({ page })
		.withTags(wcagTags)
		.options({ resultTypes: ['violations'] })
		.analyze();
	return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`);
}

const scanners = new Map<Page, Page>();
const scannerContexts: BrowserContext[] = [];

/** Playwright's test, closing the scanning pages that JavaScript-off tests opened. */
export const test = base.extend<{ closeScanners: void }>({
	closeScanners: [
		// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's parameters
		async ({}, use) => {
			await use();
			for (const context of scannerContexts.splice(0)) await context.close();
			scanners.clear();
		},
		{ auto: true }
	]
});

/** One script-enabled page per test page, reused for every scan of a JavaScript-off page. */
async function scannerFor(page: Page): Promise<Page> {
	let copy = scanners.get(page);
	if (!copy) {
		const browser = page.context().browser();
		if (!browser) throw new Error('no browser to scan with');
		const context = await browser.newContext({ javaScriptEnabled: true });
		copy = await context.newPage();
		scannerContexts.push(context);
		scanners.set(page, copy);
	}
	return copy;
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
		const copy = await scannerFor(page);
		await copy.unrouteAll();
		await copy.route(url, (route) =>
			route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
		);
		await copy.goto(url);
		found = await violations(copy);
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
