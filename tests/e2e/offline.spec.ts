import { expect, type Page } from '@playwright/test';
import { test } from './helpers';
import { messages } from './messages';
import { newPerson } from './people';

// The installable app needs the browser's JavaScript: JS-on only.
test.use({ serviceWorkers: 'allow' });

/** Waits until the service worker has installed (precached) and controls the page. */
async function appReady(page: Page) {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await page.reload();
	await expect
		.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)))
		.toBe(true);
}

/** The paths of everything the app has cached. */
function cachedPaths(page: Page): Promise<string[]> {
	return page.evaluate(async () => {
		const out: string[] = [];
		for (const key of await caches.keys()) {
			for (const request of await (await caches.open(key)).keys()) {
				out.push(new URL(request.url).pathname);
			}
		}
		return out;
	});
}

test('the court guide opens offline in the languages the visitor read, and no other language is fetched @js', async ({
	page,
	context
}) => {
	const fetched: string[] = [];
	context.on('request', (request) => fetched.push(new URL(request.url()).pathname));
	await page.goto('/court/day');
	await appReady(page);
	// Reading one Arabic page keeps the Arabic guide too.
	await page.goto('/ar/court');
	await expect.poll(() => cachedPaths(page)).toContain('/ar/offline');
	await context.setOffline(true);
	for (const [path, lang] of [
		['/court/day', 'en'],
		['/safety', 'en'],
		['/ar/court/rights', 'ar']
	] as const) {
		await page.goto(path);
		await expect(page.locator('html')).toHaveAttribute('lang', lang);
		await expect(page.locator('h1')).toBeVisible();
		await expect(page.locator('h1')).not.toHaveText(messages(lang).common.offline.heading);
	}
	await page.reload();
	await expect(page.locator('h1')).not.toHaveText(messages('ar').common.offline.heading);
	// Offline, the page's scripts still load: the quick exit's Shift presses are counted.
	await page.keyboard.press('Shift');
	await expect(page.locator('[data-quick-exit-status]')).toHaveText(
		messages('ar').common.quickExit.pressTwoMore
	);
	// Polish was never read: none of its pages was fetched or kept, so offline it gets the offline page.
	expect(fetched.filter((path) => path === '/pl' || path.startsWith('/pl/'))).toEqual([]);
	expect((await cachedPaths(page)).filter((path) => /^\/pl(\/|$)/.test(path))).toEqual([]);
	await page.goto('/pl/safety');
	await expect(page.locator('h1')).toHaveText(messages('en').common.offline.heading);
});

test('a signed-in page is never kept: offline it shows the offline page, and no case data is cached @js', async ({
	page,
	context
}) => {
	const en = messages('en');
	const person = await newPerson();
	await page.goto('/sign-in');
	await appReady(page);
	await page.getByLabel(en.signIn.reference).fill(person.reference);
	await page.getByLabel(en.signIn.passphrase).fill(person.passphrase);
	await page.getByRole('button', { name: en.signIn.submit }).click();
	await expect(page).toHaveURL(/\/my$/);
	await expect(page.getByText(person.reference)).toBeVisible();
	await context.setOffline(true);
	await page.reload();
	await expect(page.locator('h1')).toHaveText(en.common.offline.heading);
	await expect(page.getByText(person.reference)).toHaveCount(0);

	// Nothing in Cache Storage is a signed-in page or mentions the case.
	const cached = await page.evaluate(async () => {
		const out: { url: string; body: string }[] = [];
		for (const key of await caches.keys()) {
			const cache = await caches.open(key);
			for (const request of await cache.keys()) {
				const response = await cache.match(request);
				out.push({ url: request.url, body: response ? await response.text() : '' });
			}
		}
		return out;
	});
	expect(cached.length).toBeGreaterThan(10);
	expect(cached.filter((entry) => /\/(my|staff)(\/|$)/.test(new URL(entry.url).pathname))).toEqual(
		[]
	);
	expect(cached.filter((entry) => entry.body.includes(person.reference))).toEqual([]);
});

test('quick exit clears what the app cached, whose names say nothing of the service @js', async ({
	page
}) => {
	await page.goto('/court');
	await appReady(page);
	const names = await page.evaluate(() => caches.keys());
	expect(names.length).toBeGreaterThan(0);
	// Anyone who opens the browser's site storage settings can read these names and the worker.
	for (const name of names) expect(name).not.toMatch(/one\s*door|victim|witness|crime/i);
	const worker = await (await page.request.get('/service-worker.js')).text();
	expect(worker).not.toMatch(/one\s*door/i);
	await page.getByRole('button', { name: /Quick exit/ }).click();
	await page.waitForURL(/127\.0\.0\.1/);
	// Back on our origin at a file that registers nothing: the caches the exit deleted stay gone.
	await page.goto('/robots.txt');
	const entries = await page.evaluate(async () => {
		let n = 0;
		for (const key of await caches.keys()) n += (await (await caches.open(key)).keys()).length;
		return n;
	});
	expect(entries).toBe(0);
	// Nor is the worker still registered, to be listed in the browser's site settings.
	expect(
		await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)
	).toBe(0);
});

test('offline, the quick exit’s own route shows the browser’s error, never one of our pages @js', async ({
	page,
	context
}) => {
	const en = messages('en');
	await page.goto('/court');
	await appReady(page);
	await context.setOffline(true);
	// Where the page's script cannot send its beacon, the exit follows the link to /quick-exit.
	// Offline that cannot reach the neutral site; it must not land on the app's offline page.
	const reached = await page.goto('/quick-exit').then(
		() => 'a page',
		() => 'the browser’s network error'
	);
	expect(reached).toBe('the browser’s network error');
	await expect(page.getByRole('heading', { name: en.common.offline.heading })).toHaveCount(0);
});

// Chromium's own installability check refuses every incognito profile, which is what Playwright
// gives a test; so this checks what that check needs: a linked manifest with a name, start URL,
// standalone display and 192 and 512 pixel PNG icons, and a worker that controls the page.
test('the app is installable: a manifest with the configured name, icons, and a worker @js', async ({
	page
}) => {
	await page.goto('/');
	const href = await page.locator('link[rel="manifest"]').getAttribute('href');
	const manifest = await (await page.request.get(href!)).json();
	expect(manifest).toMatchObject({
		name: 'OneDoor',
		short_name: 'OneDoor',
		start_url: '/',
		display: 'standalone'
	});
	for (const size of ['192x192', '512x512']) {
		const icon = manifest.icons.find((i: { sizes: string; type: string }) => i.sizes === size);
		expect(icon?.type).toBe('image/png');
		const response = await page.request.get(icon.src);
		expect(response.headers()['content-type']).toBe('image/png');
		const png = await response.body();
		// The PNG header's width and height, big-endian at bytes 16 and 20.
		expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(size);
	}
	await appReady(page);
});
