import { expect, request, test, type APIResponse } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { newPerson } from './people';
import { demoStaff, staffPassword, staffStatePath } from './staff';

// A person may be on a shared or watched device: once the browser closes, or they sign out or
// lock their account, no cookie may be left to show they were here. Checked over plain HTTP, as
// the Set-Cookie headers are what the browser keeps; JavaScript changes none of them.

const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

/** The Set-Cookie headers of a response, as name, value and attributes. */
function cookiesSet(response: APIResponse) {
	return response
		.headersArray()
		.filter((header) => header.name.toLowerCase() === 'set-cookie')
		.map(({ value }) => {
			const [pair = '', ...attributes] = value.split(';').map((part) => part.trim());
			const [name = '', ...rest] = pair.split('=');
			return { name, value: rest.join('='), attributes: attributes.map((a) => a.toLowerCase()) };
		});
}

/** True when a Set-Cookie header tells the browser to drop the cookie now. */
const clears = (cookie: ReturnType<typeof cookiesSet>[number]) =>
	cookie.value === '' &&
	cookie.attributes.some((a) => a === 'max-age=0' || a.startsWith('expires=thu, 01 jan 1970'));

test('a person’s visit leaves only a cookie that ends with the browser, cleared at sign-out @once', async () => {
	const person = await newPerson();
	const api = await request.newContext({ baseURL, maxRedirects: 0 });
	const seen: { page: string; cookies: ReturnType<typeof cookiesSet> }[] = [];
	const visit = (page: string, response: APIResponse) => {
		expect(response.status(), page).toBeLessThan(400);
		seen.push({ page, cookies: cookiesSet(response) });
		return cookiesSet(response);
	};

	for (const page of ['/', '/help', '/court', '/sign-in', '/pl/sign-in', '/staff/sign-in']) {
		expect(visit(`GET ${page}`, await api.get(page)), page).toEqual([]);
	}

	const signIn = visit(
		'POST /sign-in',
		await api.post('/sign-in', {
			headers: form,
			form: { reference: person.reference, passphrase: person.passphrase }
		})
	);
	// The session, and our own sealed device cookie that keeps a stranger's guesses from locking
	// this browser out (sign-in-abuse.spec.ts); no Auth.js cookie but the session.
	expect(signIn.map((c) => c.name).sort()).toEqual(['od.session', 'od_device']);
	const session = signIn.find((c) => c.name === 'od.session')!;
	// A browser-session cookie: no Expires, no Max-Age.
	expect(session.attributes.filter((a) => /^(expires|max-age)=/.test(a))).toEqual([]);
	expect(session.attributes).toEqual(expect.arrayContaining(['httponly', 'path=/']));

	for (const page of ['/my', '/my/messages', '/my/court', '/my/details', '/my/settings', '/']) {
		const response = await api.get(page);
		expect(response.headers()['location'] ?? '', page).not.toContain('sign-in');
		expect(visit(`GET ${page}`, response), page).toEqual([]);
	}

	const signOut = visit(
		'POST /sign-out',
		await api.post('/sign-out', { headers: form, form: { return: '/' } })
	);
	// The device cookie goes too, as the privacy page promises, even in a browser that ignores
	// Clear-Site-Data.
	expect(signOut.map((c) => c.name).sort()).toEqual(['od.session', 'od_device']);
	expect(signOut.every(clears)).toBe(true);

	// Nothing Auth.js names itself (callback-url, csrf-token) was set anywhere along the way.
	const names = seen.flatMap(({ cookies }) => cookies.map((c) => c.name));
	expect(names.filter((name) => name.includes('authjs'))).toEqual([]);
	expect((await api.get('/my')).headers()['location']).toMatch(/\/sign-in$/);
	await api.dispose();
});

test('locking the account clears the session cookie @once', async () => {
	const person = await newPerson();
	const api = await request.newContext({ baseURL, maxRedirects: 0 });
	await api.post('/sign-in', {
		headers: form,
		form: { reference: person.reference, passphrase: person.passphrase }
	});
	const lock = await api.post('/my/settings?/lock', { headers: form, form: {} });
	expect(lock.headers()['location']).toMatch(/\/sign-in\?locked$/);
	const cookies = cookiesSet(lock);
	expect(cookies.map((c) => c.name)).toEqual(['od.session']);
	expect(clears(cookies[0]!)).toBe(true);
	await api.dispose();
});

test('staff pages set no cookie, and staff sign-in sets only the session cookie @once', async () => {
	const signedIn = await request.newContext({
		baseURL,
		maxRedirects: 0,
		storageState: staffStatePath('caseworker')
	});
	for (const page of ['/staff', '/staff/cases']) {
		const response = await signedIn.get(page);
		expect(response.status(), page).toBe(200);
		expect(cookiesSet(response), page).toEqual([]);
	}
	await signedIn.dispose();

	// The password step (the second factor is the setup project's: a TOTP code works once).
	const api = await request.newContext({ baseURL, maxRedirects: 0 });
	const password = await api.post('/staff/sign-in', {
		headers: form,
		form: { email: demoStaff.supervisor.email, password: staffPassword }
	});
	expect(password.headers()['location']).toMatch(/\/staff\/verify$/);
	// The half-signed-in session, and our own sealed device cookie (no other Auth.js cookie).
	expect(
		cookiesSet(password)
			.map((c) => c.name)
			.sort()
	).toEqual(['od.session', 'od_device']);
	await api.dispose();
});
