import { expect, type Browser, type Page } from '@playwright/test';
import { expectAccessible, languages, test } from './helpers';
import { mailTo, waitForMail } from './mail';
import { messages } from './messages';
import { assignToCaseworker, longConversation, newPerson } from './people';
import { staffPage } from './staff';

/** Signs a person in, in a context of their own, at the given language's sign-in page. */
async function signInPerson(
	browser: Browser,
	person: { reference: string; passphrase: string },
	lang: 'en' | 'pl' | 'ar' = 'en'
): Promise<Page> {
	const m = messages(lang);
	const page = await (await browser.newContext()).newPage();
	const prefix = lang === 'en' ? '' : `/${lang}`;
	await page.goto(`${prefix}/sign-in`);
	await page.getByLabel(m.signIn.reference).fill(person.reference);
	await page.getByLabel(m.signIn.passphrase).fill(person.passphrase);
	await page.getByRole('button', { name: m.signIn.submit }).click();
	await expect(page).toHaveURL(new RegExp(`${prefix}/my$`));
	return page;
}

/** A new person whose case the demo caseworker holds, signed in on their Messages page. */
async function atMessages(browser: Browser) {
	const person = await newPerson();
	await assignToCaseworker(person.reference);
	const mine = await signInPerson(browser, person);
	await mine.goto('/my/messages');
	return { person, mine };
}

const en = messages('en');

test('a person follows their case and messages their named contact, who replies', async ({
	browser
}) => {
	const javaScript = test.info().project.use.javaScriptEnabled !== false;
	const email = `person-${Date.now()}-${test.info().project.name}@example.org`;
	const person = await newPerson('copper lantern orchard tide', email);
	await assignToCaseworker(person.reference);

	// Their case: where it stands, who their contact is, and the timeline.
	const mine = await signInPerson(browser, person);
	await expect(mine.locator('.stages [aria-current="step"]')).toContainText(
		en.my.stages.assignedNamed.replace('{{name}}', 'Amira')
	);
	await expect(mine.getByText('Amira (caseworker) is your named contact')).toBeVisible();
	await expect(mine.getByText(en.my.how.channels.replace('{{channels}}', 'email'))).toBeVisible();
	await expect(mine.locator('.timeline')).toContainText(
		'Amira, a caseworker, is now your named contact'
	);
	await expect(mine.getByRole('heading', { name: en.my.seen.heading })).toBeVisible();
	// The supervisor named the contact: the person sees that by role, never by name or address.
	await expect(mine.locator('.seen')).toContainText('A team supervisor changed your record');
	await expect(mine.locator('.seen')).not.toContainText('supervisor@onedoor.test');
	await expectAccessible(mine);

	// A blank message is refused and nothing is sent; then a real one goes.
	await mine.getByRole('link', { name: en.my.nav.messages }).first().click();
	await mine.getByRole('button', { name: en.my.messages.send }).click();
	await expect(mine.getByRole('alert', { name: en.common.form.errorSummary })).toContainText(
		en.common.messages.errors.blank
	);
	await expectAccessible(mine);
	await mine.getByLabel(en.my.messages.label).fill('Can we talk on Tuesday morning?');
	await mine.getByRole('button', { name: en.my.messages.send }).click();
	await expect(mine.locator('.conversation')).toContainText('Can we talk on Tuesday morning?');
	await expect(mine.locator('.conversation')).toContainText(en.common.conversation.notRead);

	// The caseworker sees it waiting, unread, and replies.
	const worker = await staffPage(browser, 'caseworker');
	await worker.goto('/staff');
	const waiting = worker
		.getByRole('table', { name: 'Messages waiting for a reply, oldest first' })
		.getByRole('row')
		.filter({ hasText: person.reference });
	await expect(waiting).toContainText('1');
	await waiting.getByRole('link', { name: person.reference }).click();
	await expect(worker.locator('.conversation')).toContainText('Can we talk on Tuesday morning?');
	await expectAccessible(worker);
	await worker.getByLabel('Reply').fill('Yes. I will call at 11:00 on Tuesday.');
	await worker.getByRole('button', { name: 'Send reply' }).click();
	await expect(worker.getByRole('status')).toContainText('Reply sent');

	// The person sees the reply: live with JavaScript, after a reload without.
	if (javaScript) {
		await expect(mine.locator('.conversation')).toContainText('I will call at 11:00', {
			timeout: 15_000
		});
	} else {
		await mine.reload();
		await expect(mine.locator('.conversation')).toContainText('I will call at 11:00');
	}
	await expect(mine.locator('.conversation')).toContainText('Amira');
	await mine.reload();
	await expect(mine.locator('.conversation')).toContainText(en.common.conversation.read);

	// And the other way: the caseworker's open conversation shows the person's answer.
	await mine.getByLabel(en.my.messages.label).fill('Thank you, Tuesday is good.');
	await mine.getByRole('button', { name: en.my.messages.send }).click();
	await expect(mine.locator('.conversation')).toContainText('Tuesday is good');
	if (!javaScript) await worker.reload();
	await expect(worker.locator('.conversation')).toContainText('Tuesday is good', {
		timeout: 15_000
	});

	// The email that told them says nothing about the case.
	await waitForMail(email, 2);
	for (const mail of mailTo(email)) {
		const everything = `${mail.from}\n${mail.subject}\n${mail.text}`;
		for (const secret of [
			person.reference,
			'Amira',
			'Tuesday',
			'11:00',
			'OneDoor',
			'crime',
			'fraud'
		]) {
			expect(everything).not.toContain(secret);
		}
		expect(mail.text).toContain('/sign-in');
	}
});

test('a message that reads like the page shell’s placeholders is shown as typed, on both sides @once', async ({
	browser
}) => {
	// The shell fills "%od.…%" placeholders (hooks.server.ts); what a person types never is.
	const person = await newPerson('copper lantern orchard tide');
	await assignToCaseworker(person.reference);
	// Nor is what reads like the mark of the page's messages in its data (i18n/transport.ts).
	const typed = `Is %od.search% or %od.lang% or app.decode('PageMessages', "en|common") safe to type?`;
	const mine = await signInPerson(browser, person);
	await mine.goto('/my/messages');
	await mine.getByLabel(en.my.messages.label).fill(typed);
	await mine.getByRole('button', { name: en.my.messages.send }).click();
	await expect(mine.locator('.conversation')).toContainText(typed);
	await expect(mine.locator('html')).toHaveAttribute('lang', 'en');
	const worker = await staffPage(browser, 'caseworker');
	await worker.goto(`/staff/cases/${person.reference}/messages`);
	await expect(worker.locator('.conversation')).toContainText(typed);
	await expect(worker.locator('meta[name="robots"]')).toHaveCount(1);
});

test('a long conversation shows its latest 50; "Earlier messages" leads to the rest, on both sides', async ({
	browser
}) => {
	const person = await newPerson();
	await assignToCaseworker(person.reference);
	await longConversation(person.reference, 60);
	const worker = await staffPage(browser, 'caseworker');
	const mine = await signInPerson(browser, person);
	await mine.goto('/my/messages');
	for (const [page, reply] of [
		[mine, en.my.messages.label],
		[worker, 'Reply']
	] as const) {
		if (page === worker) await worker.goto(`/staff/cases/${person.reference}/messages`);
		const texts = page.locator('.conversation .prewrap');
		await expect(texts).toHaveCount(50);
		await expect(texts.first()).toHaveText('Message 11');
		await expect(texts.last()).toHaveText('Message 60');
		await expect(page.getByRole('link', { name: en.common.conversation.latest })).toHaveCount(0);

		await page.getByRole('link', { name: en.common.conversation.earlier }).click();
		await expect(texts).toHaveCount(10);
		await expect(texts.first()).toHaveText('Message 1');
		await expect(texts.last()).toHaveText('Message 10');
		await expect(page.getByRole('link', { name: en.common.conversation.earlier })).toHaveCount(0);
		// The reply form stays on an earlier page.
		await expect(page.getByLabel(reply)).toBeVisible();
		await expectAccessible(page);

		await page.getByRole('link', { name: en.common.conversation.latest }).click();
		await expect(texts.last()).toHaveText('Message 60');
		await expect(texts).toHaveCount(50);
	}
});

test('a message typed before the page’s scripts arrive is kept @js', async ({ browser }) => {
	const person = await newPerson();
	await assignToCaseworker(person.reference);
	const mine = await signInPerson(browser, person);
	// Hold back the app's scripts (not the small page scripts) until the person has typed, as a
	// slow phone would.
	let release = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	await mine.route(/\/_app\/immutable\/(entry|nodes|chunks)\//, async (route) => {
		await held;
		await route.continue();
	});
	await mine.goto('/my/messages', { waitUntil: 'domcontentloaded' });
	await mine.getByLabel(en.my.messages.label).fill('Typed while the page was loading 5521');
	// The page's poll starts once it has hydrated: then the text must still be there.
	const polled = mine.waitForRequest(/\/my\/messages\/updates\?after=/);
	release();
	await polled;
	await expect(mine.getByLabel(en.my.messages.label)).toHaveValue(
		'Typed while the page was loading 5521'
	);
	await mine.getByRole('button', { name: en.my.messages.send }).click();
	await expect(mine.locator('.conversation')).toContainText(
		'Typed while the page was loading 5521'
	);
	await expect(mine.getByLabel(en.my.messages.label)).toHaveValue('');
});

test('when the page’s messages cannot load, the page stays as sent and a message still goes @js', async ({
	browser
}) => {
	const person = await newPerson();
	await assignToCaseworker(person.reference);
	const mine = await signInPerson(browser, person);
	// A connection that drops the one script with the page's messages (i18n/transport.ts).
	const dropped: string[] = [];
	await mine.route(/\/i18n\//, async (route) => {
		dropped.push(route.request().url());
		await route.abort('connectionreset');
	});
	await mine.goto('/my/messages');
	expect(dropped).toHaveLength(1);
	// SvelteKit never starts: no error page replaces what was sent.
	await expect(mine.getByRole('heading', { level: 1 })).toHaveText(en.my.messages.title);
	await expect(mine.getByLabel(en.my.messages.label)).toBeVisible();
	await mine.getByLabel(en.my.messages.label).fill('Sent with the messages script missing 7730');
	await mine.getByRole('button', { name: en.my.messages.send }).click();
	// Sent as a plain form, the page comes back from the server with the message in it.
	await expect(mine.locator('.conversation')).toContainText(
		'Sent with the messages script missing 7730'
	);
	await expect(mine.getByRole('heading', { level: 1 })).toHaveText(en.my.messages.title);
});

/** A new person signed in on their case page, hydrated: a click is SvelteKit's to follow. */
async function hydratedAtHome(browser: Browser): Promise<Page> {
	const mine = await signInPerson(browser, await newPerson());
	// Nothing more to fetch: the start-up script's imports are in, and the page has hydrated.
	await mine.waitForLoadState('networkidle');
	return mine;
}

test('a click inside the portal carries no messages; a page needing more loads them once @js', async ({
	browser
}) => {
	const mine = await hydratedAtHome(browser);
	// What each client-side navigation's data brought, and which messages' scripts were fetched.
	const data: string[] = [];
	const scripts: string[] = [];
	await mine.route(/__data\.json/, async (route) => {
		const response = await route.fetch();
		data.push(await response.text());
		await route.fulfill({ response });
	});
	mine.on('request', (request) => {
		if (request.url().includes('/i18n/')) scripts.push(new URL(request.url()).pathname);
	});
	await mine.getByRole('link', { name: en.my.nav.messages }).first().click();
	await expect(mine.getByRole('heading', { level: 1 })).toHaveText(en.my.messages.title);
	expect(data).toHaveLength(1);
	// The messages stayed in the browser: none of their keys came again.
	expect(data[0]).not.toContain('skipLink');
	expect(scripts).toEqual([]);
	// Their details page needs the referral's messages too: that script comes once.
	await mine.getByRole('link', { name: en.my.nav.details }).first().click();
	await expect(mine.getByRole('heading', { level: 1 })).toHaveText(en.my.details.title);
	await mine.getByRole('link', { name: en.my.details.changeContact }).click();
	await expect(mine.getByLabel(en.refer.contact.portal)).toBeVisible();
	expect(scripts).toHaveLength(1);
	expect(scripts[0]).toMatch(/^\/i18n\/en\/common,errors,my,refer\.[0-9a-z]+\.js$/);
	for (const body of data) expect(body).not.toContain('skipLink');
});

test('a click whose messages cannot load opens the page the ordinary way @js', async ({
	browser
}) => {
	const mine = await hydratedAtHome(browser);
	// The connection drops the details page's messages (the portal's own are already here).
	const dropped: string[] = [];
	await mine.route(/\/i18n\//, async (route) => {
		dropped.push(new URL(route.request().url()).pathname);
		await route.abort('connectionreset');
	});
	const documents: string[] = [];
	mine.on('request', (request) => {
		if (request.isNavigationRequest()) documents.push(new URL(request.url()).pathname);
	});
	await mine.getByRole('link', { name: en.my.nav.details }).first().click();
	await expect(mine).toHaveURL(/\/my\/details$/);
	await expect(mine.getByRole('heading', { level: 1 })).toHaveText(en.my.details.title);
	await expect(mine.getByRole('link', { name: en.my.details.changeContact })).toBeVisible();
	// SvelteKit asked for the messages, and when they did not come the browser opened the page.
	expect(dropped[0]).toMatch(/^\/i18n\/en\/common,errors,my,refer\./);
	expect(documents).toEqual(['/my/details']);
});

test('a person changes how we contact them, and the named contact sees it', async ({ browser }) => {
	const person = await newPerson();
	await assignToCaseworker(person.reference);
	const mine = await signInPerson(browser, person);
	await mine.getByRole('link', { name: en.my.nav.details }).click();
	await mine.getByRole('link', { name: en.my.details.changeContact }).click();
	// A phone call without a number is refused, as it was when they referred.
	await mine.getByLabel(en.refer.contact.portal).uncheck();
	await mine.getByLabel(en.refer.contact.phone).check();
	await mine.getByRole('button', { name: en.my.details.save }).click();
	await expect(mine.getByRole('alert', { name: en.common.form.errorSummary })).toBeVisible();
	await expectAccessible(mine);
	await mine.getByLabel(en.refer.contact.phoneNumber).fill('07700 900456');
	for (const question of [en.refer.contact.voicemail, en.refer.contact.sayWhoWeAre]) {
		await mine.getByRole('group', { name: question }).getByLabel(en.common.form.no).check();
	}
	await mine.getByLabel(en.refer.contact.safeTimes).fill('After 18:00');
	// A new phone number takes the passphrase again (sign-in-abuse.spec.ts tests its refusals).
	await mine.getByLabel(en.my.details.passphrase).fill(person.passphrase);
	await mine.getByRole('button', { name: en.my.details.save }).click();
	await expect(mine.getByRole('status')).toContainText(en.my.details.saved);
	await expect(mine.getByText('After 18:00')).toBeVisible();
	await expectAccessible(mine);

	const worker = await staffPage(browser, 'caseworker');
	await worker.goto(`/staff/cases/${person.reference}`);
	await expect(worker.getByRole('region', { name: /Safe contact/ })).toContainText(
		'Safe times: After 18:00'
	);
	await expect(worker.locator('.timeline')).toContainText(
		'The person changed their contact details.'
	);
});

test('person B never reads person A’s messages, by any address @once', async ({ browser }) => {
	const a = await newPerson();
	await assignToCaseworker(a.reference);
	const aPage = await signInPerson(browser, a);
	await aPage.goto('/my/messages');
	await aPage.getByLabel(en.my.messages.label).fill('Only for my contact: saffron');
	await aPage.getByRole('button', { name: en.my.messages.send }).click();
	await expect(aPage.locator('.conversation')).toContainText('saffron');

	const b = await newPerson();
	const bPage = await signInPerson(browser, b);
	const bodies = await Promise.all(
		[
			'/my/messages',
			'/my/messages/updates?after=0',
			`/my/messages?reference=${a.reference}`,
			'/my'
		].map(async (path) => (await bPage.request.get(path)).text())
	);
	bodies.push(await (await bPage.request.post('/my/messages/updates')).text());
	for (const body of bodies) {
		expect(body).not.toContain('saffron');
		expect(body).not.toContain(a.reference);
	}
	for (const path of [`/staff/cases/${a.reference}/messages`, `/staff/cases/${a.reference}`]) {
		expect((await bPage.request.get(path, { maxRedirects: 0 })).status()).toBe(403);
	}
});

test('the first messages into an empty conversation arrive in its live region, so they are announced @js', async ({
	browser
}) => {
	const { person, mine } = await atMessages(browser);
	await expect(mine.getByText(en.common.conversation.empty)).toBeVisible();
	// The live region is there, empty, before anything arrives: a region made together with its
	// first message is not announced.
	const live = mine.locator('ol.conversation[aria-live="polite"]');
	await expect(live).toBeAttached();
	await expect(live.locator('li')).toHaveCount(0);
	const region = await live.elementHandle();
	await longConversation(person.reference, 2);
	await expect(live).toContainText('Message 2', { timeout: 15_000 });
	expect(await region!.evaluate((element) => element.isConnected)).toBe(true);
	await expect(mine.getByText(en.common.conversation.empty)).toHaveCount(0);
});

test('a supervisor glancing at the conversation leaves the person’s message unread for their named contact @once', async ({
	browser
}) => {
	const { person, mine } = await atMessages(browser);
	await mine.getByLabel(en.my.messages.label).fill('Please call after six.');
	await mine.getByRole('button', { name: en.my.messages.send }).click();
	await expect(mine.locator('.conversation')).toContainText(en.common.conversation.notRead);

	const supervisor = await staffPage(browser, 'supervisor');
	await supervisor.goto(`/staff/cases/${person.reference}/messages`);
	await expect(supervisor.locator('.conversation')).toContainText('Please call after six.');
	await mine.reload();
	await expect(mine.locator('.conversation')).toContainText(en.common.conversation.notRead);

	// Their named contact opens it: now it is read.
	const worker = await staffPage(browser, 'caseworker');
	await worker.goto(`/staff/cases/${person.reference}/messages`);
	await mine.reload();
	await expect(mine.locator('.conversation')).toContainText(en.common.conversation.read);
});

test('polling shows a new message and leaves it unread; reading it is a POST @once', async ({
	browser
}) => {
	const { person, mine } = await atMessages(browser);
	await mine.getByLabel(en.my.messages.label).fill('Are you there? 9051');
	await mine.getByRole('button', { name: en.my.messages.send }).click();
	await expect(mine.locator('.conversation')).toContainText('9051');

	const worker = await staffPage(browser, 'caseworker');
	const updates = `/staff/cases/${person.reference}/messages/updates`;
	for (let poll = 0; poll < 2; poll++) {
		const polled = await worker.request.get(`${updates}?after=0&read=1`);
		expect(polled.status()).toBe(200);
		const body = (await polled.json()) as { messages: { text: string }[]; unread: number };
		expect(body.messages.map((m) => m.text)).toContain('Are you there? 9051');
		expect(body.unread).toBe(1);
	}
	const read = await worker.request.post(updates, { headers: { accept: 'application/json' } });
	expect(read.status()).toBe(200);
	expect(((await read.json()) as { unread: number }).unread).toBe(0);
	await mine.reload();
	await expect(mine.locator('.conversation')).toContainText(en.common.conversation.read);
});

const portalPages = [
	'/my',
	'/my/messages',
	'/my/details',
	'/my/details/contact',
	'/my/details/language',
	'/my/details/consent',
	'/my/settings'
];

// Language and direction on every portal page in every language need no browser.
for (const { code, prefix, dir } of languages) {
	test(`every portal page speaks ${code} @once`, async ({ browser }) => {
		const page = await signInPerson(browser, await newPerson(), code);
		for (const path of portalPages) {
			const response = await page.request.get(`${prefix}${path}`);
			expect(response.status(), path).toBe(200);
			expect(await response.text(), path).toMatch(
				new RegExp(`<html[^>]* lang="${code}"[^>]* dir="${dir}"`)
			);
		}
	});
}

// Axe scans each portal page once left to right and once right to left, with and without
// JavaScript, signed in once per direction. Without JavaScript a page's markup is the same in
// either direction, so right to left is @once: the JavaScript run alone scans it.
for (const { code, prefix } of languages.filter((l) => l.code !== 'pl')) {
	test(`every portal page passes axe, ${code}${code === 'ar' ? ' @once' : ''}`, async ({
		browser
	}) => {
		const page = await signInPerson(browser, await newPerson(), code);
		for (const path of portalPages) {
			await page.goto(`${prefix}${path}`);
			await expect(page.getByRole('heading', { level: 1 }), path).toHaveCount(1);
			await expectAccessible(page);
		}
	});
}
