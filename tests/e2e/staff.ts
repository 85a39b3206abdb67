import { expect, type Browser, type Page } from '@playwright/test';
import { generateSync } from 'otplib';

export const staffPassword = 'demo staff password';
export const demoStaff = {
	caseworker: { email: 'caseworker@onedoor.test', secret: 'KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD' },
	supervisor: { email: 'supervisor@onedoor.test', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
	admin: { email: 'admin@onedoor.test', secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' }
} as const;

/** The TOTP code for a secret, `steps` periods from now. */
export function totp(secret: string, steps = 0): string {
	return generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
}

/** Six digits that are no valid code for this secret now, nor a period either side of now. */
export function wrongCode(secret: string): string {
	const valid = new Set([-1, 0, 1].map((steps) => totp(secret, steps)));
	for (let n = 0; ; n++) {
		const code = String(n).padStart(6, '0');
		if (!valid.has(code)) return code;
	}
}

/**
 * Signs a staff member in through both factors. A code is accepted once: the setup project signs
 * each demo account in once, on a fresh database, and every test reuses that session
 * (`staffPage`), so the current code is free; the next period's is tried in case the clock turned.
 */
export async function signInStaff(
	page: Page,
	email: string,
	secret: string,
	password = staffPassword
) {
	await page.goto('/staff/sign-in');
	await page.getByLabel('Work email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page).toHaveURL(/\/staff\/verify$/);
	const tryCode = async (code: string) => {
		await page.getByLabel('Code').fill(code);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForLoadState();
		return !/\/staff\/verify$/.test(page.url());
	};
	if (await tryCode(totp(secret))) return expect(page).toHaveURL(/\/staff$/);
	await tryCode(totp(secret, 1));
	await expect(page).toHaveURL(/\/staff$/);
}

/** Where the setup project keeps each demo staff member's signed-in session. */
export function staffStatePath(who: keyof typeof demoStaff): string {
	return `.e2e/auth/${who}.json`;
}

/** A page signed in as a demo staff member, from the session the setup project made. */
export async function staffPage(browser: Browser, who: keyof typeof demoStaff): Promise<Page> {
	const context = await browser.newContext({ storageState: staffStatePath(who) });
	return context.newPage();
}
