import { expect, type APIRequestContext } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { dismissExitNotice, expectAccessible, test } from './helpers';
import { mailTo } from './mail';
import { messages } from './messages';
import { newPerson } from './people';

const en = messages('en');
const html = { accept: 'text/html' };
const address = () => `old.${Date.now()}.${Math.random().toString(36).slice(2, 7)}@example.org`;

const signIn = (client: APIRequestContext, reference: string, passphrase: string) =>
	client.post('/sign-in', {
		form: { reference, passphrase },
		headers: html,
		maxRedirects: 0
	});

test('a stranger’s wrong guesses never stop the person in their own browser @once', async ({
	playwright
}) => {
	const person = await newPerson();
	const own = await playwright.request.newContext({ baseURL });
	expect((await signIn(own, person.reference, person.passphrase)).status()).toBe(303);

	// Someone else, from the same address (everything here is 127.0.0.1, like a shared home
	// network), guesses until they are locked out.
	const stranger = await playwright.request.newContext({ baseURL });
	let last = await signIn(stranger, person.reference, 'a wrong guess');
	for (let i = 0; i < 5; i++) last = await signIn(stranger, person.reference, 'a wrong guess');
	expect(last.status()).toBe(429);

	// The person comes back later in the browser they used before (its session long gone, its
	// other cookies kept) and still gets in with the right passphrase.
	const kept = (await own.storageState()).cookies.filter((c) => !c.name.includes('session'));
	const back = await playwright.request.newContext({
		baseURL,
		storageState: { cookies: kept, origins: [] }
	});
	const again = await signIn(back, person.reference, person.passphrase);
	expect(again.status()).toBe(303);
	expect(again.headers().location).toMatch(/\/my$/);
	await Promise.all([own.dispose(), stranger.dispose(), back.dispose()]);
});

test('a new safe email needs the passphrase again, and the old address is told @once', async ({
	playwright
}) => {
	const old = address();
	const fresh = old.replace('old.', 'new.');
	const person = await newPerson('silver teapot garden rain', old);
	const own = await playwright.request.newContext({ baseURL });
	expect((await signIn(own, person.reference, person.passphrase)).status()).toBe(303);
	const change = (extra: Record<string, string>) =>
		own.post('/my/details/contact', {
			form: {
				channels: 'email',
				name: '',
				phone: '',
				email: fresh,
				voicemail: '',
				sayWhoWeAre: '',
				safeTimes: '',
				alternative: '',
				...extra
			},
			headers: html,
			maxRedirects: 0
		});

	const missing = await change({});
	expect(missing.status()).toBe(400);
	expect(await missing.text()).toContain(en.my.details.passphraseMissing);
	const wrong = await change({ passphrase: 'not my passphrase at all' });
	expect(wrong.status()).toBe(400);
	expect(await wrong.text()).toContain(en.my.details.passphraseWrong);
	const unchanged = await (await own.get('/my/details')).text();
	expect(unchanged).toContain(old);
	expect(unchanged).not.toContain(fresh);

	const right = await change({ passphrase: person.passphrase });
	expect(right.status()).toBe(303);
	expect(await (await own.get('/my/details')).text()).toContain(fresh);

	// The old address hears only that the details changed: not where to, not who we are.
	const notices = () =>
		mailTo(old).filter((mail) => mail.subject === en.common.notify.contactChangedSubject);
	await expect.poll(() => notices().length, { timeout: 10_000 }).toBe(1);
	const [notice] = notices();
	for (const secret of [fresh, 'OneDoor', person.reference]) {
		expect(notice!.text).not.toContain(secret);
	}
	await own.dispose();
});

test('the details page says clearly when the passphrase is missing, and changes nothing', async ({
	page
}) => {
	const person = await newPerson('silver teapot garden rain', address());
	await dismissExitNotice(page);
	await page.goto('/sign-in');
	await page.getByLabel(en.signIn.reference).fill(person.reference);
	await page.getByLabel(en.signIn.passphrase).fill(person.passphrase);
	await page.getByRole('button', { name: en.signIn.submit }).click();
	await expect(page).toHaveURL(/\/my$/);
	await page.goto('/my/details/contact');
	await page.getByLabel(en.refer.contact.emailAddress).fill('someone.else@example.org');
	await page.getByRole('button', { name: en.my.details.save }).click();
	await expect(
		page.getByRole('alert').filter({ hasText: en.my.details.passphraseMissing })
	).toBeVisible();
	await expect(page.getByLabel(en.my.details.passphrase)).toHaveAttribute('aria-invalid', 'true');
	await expectAccessible(page);
	await page.goto('/my/details');
	await expect(page.getByText('someone.else@example.org')).toHaveCount(0);
});
