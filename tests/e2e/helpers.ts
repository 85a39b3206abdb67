import AxeBuilder from '@axe-core/playwright';
import {
	test as base,
	expect,
	type Browser,
	type BrowserContext,
	type Page,
	type TestInfo
} from '@playwright/test';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { baseURL } from '../../playwright.config';

const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

async function violations(page: Page): Promise<string[]> {
	// Legacy mode runs axe.run in the page itself. The default mode also opens a blank page to
	// combine results across frames, which doubles a scan's time; no OneDoor page has a frame.
	const results = await new AxeBuilder({ page })
		.withTags(wcagTags)
		.setLegacyMode(true)
		.options({ resultTypes: ['violations'] })
		.analyze();
	return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`);
}

const watched = new WeakSet<BrowserContext>();

/** Each page's last answer to a navigation: its address and status, or why it failed. */
const lastAnswer = new WeakMap<Page, string>();

function followNavigations(page: Page) {
	page.on('response', (response) => {
		const request = response.request();
		if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
			lastAnswer.set(page, `${response.status()} ${request.method()} ${response.url()}`);
		}
	});
	page.on('requestfailed', (request) => {
		if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
			lastAnswer.set(page, `failed (${request.failure()?.errorText}) ${request.url()}`);
		}
	});
}

/**
 * Writes what every page of a failed test showed (`pages.md`, printed by `.ci/run`): Playwright's
 * own error context shows one page, often not the one the test was waiting on.
 */
async function describePages(contexts: BrowserContext[], testInfo: TestInfo) {
	const lines: string[] = [];
	for (const [n, context] of contexts.entries()) {
		for (const page of context.pages()) {
			const shown = await page
				.evaluate(() => {
					const text = (selector: string) =>
						document.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
					return `h1 "${text('h1')}"; alert "${text('[role="alert"]')}"; main "${text('main').slice(0, 300)}"`;
				})
				.catch((error: Error) => `(could not be read: ${error.message.split('\n')[0]})`);
			lines.push(
				`- context ${n + 1}: ${page.url()}`,
				`  - last navigation: ${lastAnswer.get(page) ?? 'none seen'}`,
				`  - ${shown}`
			);
		}
	}
	writeFileSync(
		testInfo.outputPath('pages.md'),
		`# Every page of the test\n\n${lines.join('\n')}\n`
	);
}
/** The scanning contexts expectAccessible opens: their refused scripts are the point of them. */
const scanningContexts = new WeakSet<BrowserContext>();

/**
 * Playwright's test, failing any test whose pages log a console error or a page error — a
 * Content-Security-Policy refusal among them — in any context it opens. Failed loads are left to
 * the tests (a 404 page is asked for on purpose); everything else the browser complains of fails.
 */
export const test = base.extend<{ browserComplaints: void }>({
	browserComplaints: [
		async ({ browser, context }, use, testInfo) => {
			const complaints: string[] = [];
			const contexts: BrowserContext[] = [context];
			const watch = (watchedContext: BrowserContext) => {
				if (watched.has(watchedContext)) return;
				watched.add(watchedContext);
				watchedContext.on('page', followNavigations);
				for (const page of watchedContext.pages()) followNavigations(page);
				watchedContext.on('console', (message) => {
					if (message.type() !== 'error' || scanningContexts.has(watchedContext)) return;
					if (message.text().startsWith('Failed to load resource')) return;
					complaints.push(`${message.page()?.url() ?? ''}: ${message.text()}`);
				});
				watchedContext.on('weberror', (error) => {
					if (scanningContexts.has(watchedContext)) return;
					complaints.push(`${error.page()?.url() ?? ''}: ${error.error().message}`);
				});
			};
			watch(context);
			const opened: BrowserContext[] = [];
			const newContext = browser.newContext.bind(browser);
			browser.newContext = async (options) => {
				const created = await newContext(options);
				watch(created);
				opened.push(created);
				contexts.push(created);
				return created;
			};
			await use();
			browser.newContext = newContext;
			// Before anything closes: what each of the test's pages showed, for the CI log.
			if (testInfo.status !== testInfo.expectedStatus) {
				await describePages(
					contexts.filter((c) => !scanningContexts.has(c)),
					testInfo
				);
			}
			// Contexts a test opened for a second person or role close with it, not with the worker;
			// the worker's scanning page (see expectAccessible) is kept for the next test.
			const own = opened.filter((c) => !scanningContexts.has(c));
			await Promise.all(own.map((c) => c.close().catch(() => undefined)));
			expect(complaints, 'the browser logged errors').toEqual([]);
		},
		{ auto: true }
	]
});

/**
 * What makes one page state different from another for axe: the page template (its path with
 * the language prefix and case references taken out), the text direction, whether the page's
 * scripts ran, and what the page is showing (an error summary, a confirmation, invalid fields).
 */
async function pageState(page: Page, javaScriptOn: boolean, state: string): Promise<string> {
	const url = new URL(page.url());
	const template = url.pathname
		.replace(/^\/(pl|ar)(?=\/|$)/, '')
		.replace(/[A-Z0-9]{4}-[A-Z0-9]{4}/g, ':reference')
		.replace(/\/[0-9a-f-]{36}(?=\/|$)/g, '/:id');
	// page.evaluate runs through the browser's debugger, so it answers with the page's scripts off.
	// Without JavaScript only the markup before hydration differs, and it is the same markup in
	// either direction: the JavaScript project already scans both directions, so this one does not.
	const shown = await page.evaluate(
		(withDirection) =>
			[
				withDirection ? document.documentElement.dir : '',
				document.querySelector('.error-summary, [role="alert"]:not(:empty)') ? 'alert' : '',
				document.querySelector('[role="status"]:not(:empty)') ? 'status' : '',
				document.querySelector('[aria-invalid="true"]') ? 'invalid' : '',
				document.querySelector('[role="dialog"], [aria-modal="true"]') ? 'dialog' : ''
			].join(','),
		javaScriptOn
	);
	return [javaScriptOn ? 'js' : 'no-js', template, shown, state].join('|');
}

/**
 * True the first time this state is seen in the whole run (both workers), by a marker file made
 * with O_EXCL: each page template and state is scanned once, not once per test that passes it.
 */
function firstTime(key: string): boolean {
	mkdirSync('.e2e/axe', { recursive: true });
	const name = createHash('sha256').update(key).digest('hex').slice(0, 32);
	try {
		closeSync(openSync(`.e2e/axe/${name}`, 'wx'));
		return true;
	} catch {
		return false;
	}
}

/** The page each worker scans JavaScript-off markup in, and the markup it is to be served. */
let scanner: { browser: Browser; page: Page; serve?: { url: string; html: string } } | undefined;

/**
 * One scanning page per worker, kept across tests: its context allows scripts (axe is one), and
 * every page it is served is sent with the Content-Security-Policy `script-src 'none'`, so the
 * page's own scripts never run and nothing hydrates.
 */
async function scanningPage(browser: Browser) {
	if (scanner?.browser === browser && !scanner.page.isClosed()) return scanner;
	const context = await browser.newContext({ javaScriptEnabled: true });
	scanningContexts.add(context);
	const next: NonNullable<typeof scanner> = { browser, page: await context.newPage() };
	await next.page.route('**/*', (route) => {
		const request = route.request();
		if (next.serve && request.isNavigationRequest() && request.url() === next.serve.url)
			return route.fulfill({
				status: 200,
				contentType: 'text/html; charset=utf-8',
				headers: { 'content-security-policy': "script-src 'none'" },
				body: next.serve.html
			});
		return route.continue();
	});
	scanner = next;
	return next;
}

/**
 * Asserts axe finds no WCAG 2.0, 2.1 or 2.2 A/AA violation on the page as it is now — once per
 * page template and state in the run (`state` names a state the page alone cannot tell apart).
 * Axe runs as a script, so for a page seen with JavaScript off it scans the same HTML in a
 * scanning page whose Content-Security-Policy is `script-src 'none'`: the page's own scripts
 * stay off (nothing hydrates), while axe, injected by the browser's debugger, still runs.
 */
export async function expectAccessible(page: Page, state = ''): Promise<void> {
	const javaScriptOn = test.info().project.use.javaScriptEnabled !== false;
	if (!firstTime(await pageState(page, javaScriptOn, state))) return;
	let found: string[];
	if (javaScriptOn) {
		found = await violations(page);
	} else {
		const browser = page.context().browser();
		if (!browser) throw new Error('no browser to scan with');
		const scanning = await scanningPage(browser);
		const url = page.url().split('#')[0]!;
		scanning.serve = { url, html: await page.content() };
		await scanning.page.goto(url);
		found = await violations(scanning.page);
		scanning.serve = undefined;
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

/** True in the project whose browser runs no JavaScript. */
export function javaScriptOff(): boolean {
	return test.info().project.use.javaScriptEnabled === false;
}
