import type { Cookies } from '@sveltejs/kit';
import { randomBytes } from 'node:crypto';
import { cipher } from '$lib/server/crypto';

/**
 * The cookie that marks a browser where this account signed in before (OWASP's "device cookie"):
 * sealed with the data key, so it cannot be forged, and bound to one account. With it, the
 * person is not held back by a stranger's wrong guesses against their reference.
 */
export const deviceCookie = 'od_device';
export const deviceDays = 90;

interface Device {
	/** The account, lower case: a reference or a staff email. */
	a: string;
	/** This browser's random id, so its own failures are counted apart. */
	d: string;
	/** When it was issued, in ms. */
	t: number;
}

/** The id of the trusted browser behind this cookie for this account, or null. */
export function trusted(cookies: Cookies, account: string, now = Date.now()): string | null {
	const value = cookies.get(deviceCookie);
	if (!value) return null;
	try {
		const device = JSON.parse(cipher().decrypt(value)) as Device;
		const fresh = now - device.t < deviceDays * 86_400_000;
		return device.a === account.toLowerCase() && fresh && device.d ? device.d : null;
	} catch {
		// Made up, damaged, or sealed with a key since retired: simply not a trusted browser.
		return null;
	}
}

/** After a successful sign-in: marks (or re-marks) this browser as trusted for the account. */
export function remember(cookies: Cookies, account: string, device: string | null): void {
	const value: Device = {
		a: account.toLowerCase(),
		d: device ?? randomBytes(16).toString('base64url'),
		t: Date.now()
	};
	cookies.set(deviceCookie, cipher().encrypt(JSON.stringify(value)), {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		maxAge: deviceDays * 86_400
	});
}

/**
 * Drops the device cookie: at sign-out and quick exit, as the privacy page promises. Their
 * Clear-Site-Data does it too, but not every browser honours that header (Safari before 17).
 */
export function forget(cookies: Cookies): void {
	cookies.delete(deviceCookie, { path: '/' });
}
