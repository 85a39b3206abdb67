import { expect, request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import Database from 'better-sqlite3';
import { baseURL, databasePath } from '../../playwright.config';
import { expectAccessible, test } from './helpers';
import { messages } from './messages';
import { newPerson } from './people';
import { staffStatePath } from './staff';

const en = messages('en');
const pl = messages('pl');
const ar = messages('ar');

/** One value from the server's database file, read-only, as a person would never see it. */
function query<T>(sql: string, ...args: unknown[]): T {
	const db = new Database(databasePath, { readonly: true });
	const row = db.prepare(sql).get(...args) as T;
	db.close();
	return row;
}
const caseOf = (reference: string) =>
	query<{ id: string; consent_share: number; consent_police: number; status: string }>(
		'select id, consent_share, consent_police, status from cases where reference = ?',
		reference
	);
const countOf = (sql: string, ...args: unknown[]) => query<{ n: number }>(sql, ...args).n;

const html = { accept: 'text/html' };
/** A multipart body whose parts are fenced by a boundary other than the one its header names. */
const brokenBody = {
	data: '--other\r\nContent-Disposition: form-data; name="x"\r\n\r\nyes\r\n--other--\r\n',
	headers: { ...html, 'content-type': 'multipart/form-data; boundary=expected' }
};
/** Text as the server writes it into HTML. */
const inHtml = (text: string) => text.replace(/'/g, '&#39;').replace(/"/g, '&quot;');

/** A request context signed in as this person. */
async function personApi(person: { reference: string; passphrase: string }) {
	const api = await playwrightRequest.newContext({ baseURL });
	const signedIn = await api.post('/sign-in', { form: person, headers: html });
	expect(signedIn.url()).toMatch(/\/my$/);
	return api;
}

const supervisorApi = () =>
	playwrightRequest.newContext({ baseURL, storageState: staffStatePath('supervisor') });

async function close(staff: APIRequestContext, reference: string) {
	const closed = await staff.post(`/staff/cases/${reference}?/close`, {
		form: { outcome: 'other' },
		headers: html
	});
	expect(closed.status()).toBe(200);
}

test.describe('a body that cannot be read', () => {
	test('is a translated 400 on a referral step, and the story stays as it was @once', async () => {
		const api = await playwrightRequest.newContext({ baseURL });
		const story = 'He took my bank card on the 3rd.';
		for (const [step, form] of [
			['safe-now', { safeNow: 'safe' }],
			['who', { who: 'victim' }],
			['account', { account: story }]
		] as const) {
			expect((await api.post(`/refer/${step}`, { form, headers: html })).ok()).toBe(true);
		}
		const refused = await api.post('/pl/refer/account', brokenBody);
		expect(refused.status()).toBe(400);
		const page = await refused.text();
		expect(page).toContain('data-error-summary');
		expect(page).toContain(inHtml(pl.common.form.unreadable));
		// The refusal shows the story already saved, not an empty box.
		expect(page).toContain(inHtml(story));
		const again = await (await api.get('/refer/account')).text();
		expect(again).toContain(inHtml(story));
		// The box stops at the schema's limit, so no story makes a body too large to read.
		expect(again).toMatch(/<textarea[^>]*name="account"[^>]*maxlength="10000"/);
		await api.dispose();
	});

	test('is a translated 400 on sign-in, on /my/details and on a staff action, changing nothing @once', async () => {
		const person = await newPerson('amber willow harbour dusk', undefined, {
			consent: { share: 'yes', police: 'yes' }
		});
		const anonymous = await playwrightRequest.newContext({ baseURL });
		const signIn = await anonymous.post('/ar/sign-in', brokenBody);
		expect(signIn.status()).toBe(400);
		expect(await signIn.text()).toContain(inHtml(ar.common.form.unreadable));
		await anonymous.dispose();

		const api = await personApi(person);
		const consent = await api.post('/ar/my/details/consent', brokenBody);
		expect(consent.status()).toBe(400);
		expect(await consent.text()).toContain(inHtml(ar.common.form.unreadable));
		expect(caseOf(person.reference)).toMatchObject({ consent_share: 1, consent_police: 1 });
		await api.dispose();

		const staff = await supervisorApi();
		const { id } = caseOf(person.reference);
		const events = () => countOf('select count(*) as n from case_events where case_id = ?', id);
		const before = events();
		const note = await staff.post(`/staff/cases/${person.reference}?/addNote`, brokenBody);
		expect(note.status()).toBe(400);
		expect(await note.text()).toContain(inHtml(en.common.form.unreadable));
		expect(events()).toBe(before);
		await staff.dispose();
	});
});

test('the case list’s search refuses an unreadable body and too long a search, and searches nothing @once', async () => {
	const staff = await supervisorApi();
	const unreadable = await staff.post('/staff/cases?/search', { ...brokenBody, maxRedirects: 0 });
	expect(unreadable.status()).toBe(400);
	expect(await unreadable.text()).toContain(inHtml(en.common.form.unreadable));
	// Past the box's own limit (a script, not a person typing): said, not cut or dropped.
	const long = 'Nowak '.repeat(20);
	const refused = await staff.post('/staff/cases?/search', {
		form: { status: 'open', q: long },
		headers: html,
		maxRedirects: 0
	});
	expect(refused.status()).toBe(400);
	const page = await refused.text();
	expect(page).toContain('data-error-summary');
	expect(page).toContain('Search for up to 100 characters');
	expect(page).toContain(long.trim());
	// A search that fits goes to the list, sealed: no name in the address.
	const searched = await staff.post('/staff/cases?/search', {
		form: { status: 'open', q: 'Nowak' },
		headers: html,
		maxRedirects: 0
	});
	expect(searched.status()).toBe(303);
	expect(searched.headers()['location']).toMatch(/^\/staff\/cases\?status=open&search=[\w-]+$/);
	await staff.dispose();
});

test('a form posted to an action name SvelteKit reserves is a translated 404, never a 500 @once', async () => {
	const api = await playwrightRequest.newContext({ baseURL });
	for (const name of ['default', '__proto__', 'toString', 'constructor']) {
		const refused = await api.post(`/pl/refer/safe-now?/${name}`, {
			form: { safeNow: 'safe' },
			headers: html
		});
		expect(refused.status(), name).toBe(404);
		expect(await refused.text(), name).toBe(pl.errors.notFound.title);
	}
	// The step itself still takes the same answer.
	const step = await api.post('/refer/safe-now', {
		form: { safeNow: 'safe' },
		headers: html,
		maxRedirects: 0
	});
	expect(step.status()).toBe(303);
	await api.dispose();
});

test('a file sent where a reset code belongs is refused in the page’s language, not the checker’s English @once', async () => {
	const api = await playwrightRequest.newContext({ baseURL });
	const person = await newPerson();
	const refused = await api.post('/pl/sign-in/reset', {
		headers: html,
		multipart: {
			reference: person.reference,
			code: { name: 'code.txt', mimeType: 'text/plain', buffer: Buffer.from('ABCD') },
			passphrase: 'a new long passphrase here',
			confirm: 'a new long passphrase here'
		}
	});
	expect(refused.status()).toBe(400);
	const page = await refused.text();
	expect(page).toContain(inHtml(pl.signIn.errors.resetCode));
	expect(page).not.toContain('Invalid type');
	await api.dispose();
});

test('a message sent after the session ended is not thought sent: sign-in says so @once', async () => {
	const person = await newPerson();
	const api = await personApi(person);
	// Twenty-one minutes pass without use: the session ends at the next request.
	const db = new Database(databasePath);
	db.prepare(
		'update sessions set last_seen_at = ? where user_id = (select person_id from cases where reference = ?)'
	).run(Date.now() - 21 * 60_000, person.reference);
	db.close();
	const { id } = caseOf(person.reference);
	const messagesNow = () => countOf('select count(*) as n from messages where case_id = ?', id);
	const before = messagesNow();
	const late = await api.post('/ar/my/messages?/send', {
		form: { message: 'Please call after six.' },
		headers: html,
		maxRedirects: 0
	});
	expect(late.status()).toBe(303);
	expect(late.headers()['location']).toBe('/ar/sign-in?unsent');
	expect(messagesNow()).toBe(before);
	const signIn = await (await api.get('/ar/sign-in?unsent')).text();
	expect(signIn).toContain(inHtml(ar.signIn.unsent));
	// A visitor who was never signed in is just asked to sign in.
	const stranger = await playwrightRequest.newContext({ baseURL });
	const asked = await stranger.post('/my/messages?/send', {
		form: { message: 'hello' },
		headers: html,
		maxRedirects: 0
	});
	expect(asked.headers()['location']).toBe('/sign-in');
	await stranger.dispose();
	await api.dispose();
});

test('a staff poll that returns the conversation leaves a case_viewed row @once', async () => {
	const person = await newPerson('velvet canyon meadow spark');
	const api = await personApi(person);
	const sent = await api.post('/my/messages?/send', {
		form: { message: 'Please call after six.' },
		headers: html
	});
	expect(sent.status()).toBe(200);
	await api.dispose();

	const { id } = caseOf(person.reference);
	const views = () =>
		countOf("select count(*) as n from audit_log where action = 'case_viewed' and case_id = ?", id);
	const before = views();
	const staff = await supervisorApi();
	const poll = await staff.get(`/staff/cases/${person.reference}/messages/updates?after=0`);
	expect(poll.status()).toBe(200);
	const body = (await poll.json()) as { messages: { text: string }[] };
	expect(body.messages.map((m) => m.text)).toEqual(['Please call after six.']);
	// At least the poll's own row: a list another test shows at the same moment may hold this
	// case too, and every case a list shows is audited as well.
	expect(views()).toBeGreaterThan(before);
	await staff.dispose();
});

test('a closed case takes no messages, and says how to reach us, in the person’s language @once', async () => {
	const person = await newPerson('granite meadow lantern fig');
	const staff = await supervisorApi();
	await close(staff, person.reference);
	await staff.dispose();

	const api = await personApi(person);
	for (const [prefix, m] of [
		['', en],
		['/pl', pl],
		['/ar', ar]
	] as const) {
		const page = await (await api.get(`${prefix}/my/messages`, { headers: html })).text();
		expect(page, prefix).toContain(inHtml(m.my.messages.closed));
		expect(page, prefix).toContain(inHtml(m.my.messages.closedHelp));
		expect(page, prefix).not.toContain('action="?/send"');
	}
	const { id } = caseOf(person.reference);
	const refused = await api.post('/pl/my/messages?/send', {
		form: { message: 'Is anyone still there?' },
		headers: html
	});
	expect(refused.status()).toBe(400);
	expect(await refused.text()).toContain(inHtml(pl.my.messages.closedNotSent));
	expect(countOf('select count(*) as n from messages where case_id = ?', id)).toBe(0);
	await api.dispose();
});

test('a closed case’s messages page is accessible', async ({ browser }) => {
	const person = await newPerson('saffron river quilt moss');
	const staff = await supervisorApi();
	await close(staff, person.reference);
	await staff.dispose();
	const page = await (await browser.newContext()).newPage();
	await page.goto('/sign-in');
	await page.getByLabel(en.signIn.reference).fill(person.reference);
	await page.getByLabel(en.signIn.passphrase).fill(person.passphrase);
	await page.getByRole('button', { name: en.signIn.submit }).click();
	await expect(page).toHaveURL(/\/my$/);
	await page.goto('/my/messages');
	await expect(page.getByText(en.my.messages.closed)).toBeVisible();
	await expect(page.getByRole('button', { name: en.my.messages.send })).toHaveCount(0);
	await expect(page.getByRole('link', { name: en.my.messages.closedRefer })).toBeVisible();
	await expectAccessible(page);
	await page.context().close();
});

test('return paths never leave our origin @once', async ({ request }) => {
	const nasty = ['/\t/evil.example/x', '//evil.example', '/\\evil.example', 'https://evil.example'];
	for (const path of ['/exit-notice', '/sign-out']) {
		for (const value of nasty) {
			const response = await request.post(path, { form: { return: value }, maxRedirects: 0 });
			expect(response.status(), `${path} ${JSON.stringify(value)}`).toBe(303);
			const location = response.headers().location ?? '';
			// A browser drops tabs and newlines and reads `\` as `/` before it follows a Location.
			const followed = new URL(location.replace(/[\t\n\r]/g, ''), baseURL);
			expect(followed.origin, `${path} ${JSON.stringify(value)}`).toBe(new URL(baseURL).origin);
		}
	}
	const kept = await request.post('/exit-notice', {
		form: { return: '/pl/court' },
		maxRedirects: 0
	});
	expect(kept.headers().location).toBe('/pl/court');
});
