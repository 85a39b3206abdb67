import { expect } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { expectAccessible, test } from './helpers';
import { waitForMail } from './mail';
import { messages } from './messages';
import { newPerson } from './people';
import { newReference } from '../../src/lib/referral/reference';

const en = messages('en');
const address = () => `person.${Date.now()}.${Math.random().toString(36).slice(2, 7)}@example.org`;
const linkIn = (text: string) => new RegExp(`${baseURL}/\\S+`).exec(text)?.[0] ?? '';

test('a person with a safe email signs in with a link that works once, in that browser', async ({
	page,
	browser
}) => {
	const email = address();
	const person = await newPerson('silver teapot garden rain', email);
	await page.goto('/sign-in/email');
	await expectAccessible(page);
	await page.getByLabel(en.signIn.reference).fill(person.reference);
	await page.getByRole('button', { name: en.signIn.email.sendSignIn }).click();
	await expect(page.getByRole('status')).toContainText(en.signIn.email.sentHeading);
	await expectAccessible(page);

	const mail = await waitForMail(email);
	// Nothing in the email says what happened, who we are, or what the case is.
	expect(mail.subject).toBe(en.signIn.email.sign_in.subject);
	expect(mail.text).not.toContain(person.reference);
	expect(mail.text).not.toContain('OneDoor');
	const link = linkIn(mail.text);
	// Read without the link, whose random token could hold one of these words by chance.
	expect(mail.text.replace(link, '')).not.toMatch(/crime|victim|fraud/i);
	expect(link).toContain('/sign-in/link?token=');

	// Another browser (someone forwarded the email, or read it elsewhere) cannot use it.
	const elsewhere = await browser.newPage();
	await elsewhere.goto(link);
	await expect(elsewhere.getByRole('alert')).toContainText(en.signIn.email.expired);
	await elsewhere.close();

	await page.goto(link);
	await expectAccessible(page);
	await page.getByRole('button', { name: en.signIn.submit }).click();
	await expect(page).toHaveURL(/\/my$/);
	await expect(page.getByText(person.reference)).toBeVisible();

	// Used once.
	await page.goto(link);
	await expect(page.getByRole('alert')).toContainText(en.signIn.email.expired);
});

test('a forgotten passphrase is reset by a link to the safe email', async ({ page }) => {
	const email = address();
	const person = await newPerson('silver teapot garden rain', email);
	await page.goto('/sign-in/email');
	await page.getByLabel(en.signIn.reference).fill(person.reference);
	await page.getByRole('button', { name: en.signIn.email.sendReset }).click();
	const mail = await waitForMail(email);
	expect(mail.subject).toBe(en.signIn.email.reset.subject);
	await page.goto(linkIn(mail.text));
	await page
		.getByLabel(en.refer.passphrase.label, { exact: true })
		.fill('fresh copper window song');
	await page.getByLabel(en.refer.passphrase.confirm).fill('fresh copper window song');
	await page.getByRole('button', { name: en.signIn.reset.submit }).click();
	await expect(page.getByText(en.signIn.reset.done)).toBeVisible();
	await page.getByLabel(en.signIn.reference).fill(person.reference);
	await page.getByLabel(en.signIn.passphrase).fill('fresh copper window song');
	await page.getByRole('button', { name: en.signIn.submit }).click();
	await expect(page).toHaveURL(/\/my$/);
});

test('asking for a link answers the same for a real and an unknown reference @once', async ({
	playwright
}) => {
	const email = address();
	const real = (await newPerson('silver teapot garden rain', email)).reference;
	const unknown = newReference();
	// Each from a fresh client, as a stranger probing references would ask.
	const ask = async (reference: string) => {
		const client = await playwright.request.newContext({ baseURL });
		const response = await client.post('/sign-in/email?/emailSignInLink', {
			form: { reference },
			headers: { accept: 'text/html' },
			maxRedirects: 0
		});
		const headers = response.headersArray();
		const answer = {
			status: response.status(),
			body: (await response.text())
				.replaceAll(reference, 'REFERENCE')
				.replace(/nonce="[^"]*"/g, 'nonce=""'),
			headerNames: [...new Set(headers.map((h) => h.name.toLowerCase()))].sort(),
			cookieNames: headers
				.filter((h) => h.name.toLowerCase() === 'set-cookie')
				.map((h) => h.value.split('=')[0])
				.sort()
		};
		await client.dispose();
		return answer;
	};
	const [forReal, forUnknown] = [await ask(real), await ask(unknown)];
	expect(forReal.body).toContain(en.signIn.email.sent);
	expect(forUnknown).toEqual(forReal);
	// And the real one did send a link.
	expect((await waitForMail(email)).subject).toBe(en.signIn.email.sign_in.subject);
});
