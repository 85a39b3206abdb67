import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { expect } from '@playwright/test';

export interface Mail {
	to: string[];
	from: string;
	subject: string;
	text: string;
}

/** The messages the test SMTP server has received for an address. */
export function mailTo(address: string): Mail[] {
	if (!existsSync('.e2e/mail')) return [];
	return readdirSync('.e2e/mail')
		.sort()
		.map((file) => JSON.parse(readFileSync(`.e2e/mail/${file}`, 'utf8')) as Mail)
		.filter((mail) => mail.to.includes(address));
}

/** Waits for the n-th message to an address to arrive, and returns it. */
export async function waitForMail(address: string, n = 1): Promise<Mail> {
	await expect.poll(() => mailTo(address).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(n);
	return mailTo(address)[n - 1]!;
}
