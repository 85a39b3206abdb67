import { and, eq, gt, inArray, lt } from 'drizzle-orm';
import { database } from '$lib/server/db';
import { signInFailures } from '$lib/server/db/schema';

/**
 * Failures allowed in the window before a lockout, per account and per address. The address limit
 * is generous because refuges, libraries and phone networks put many people behind one address.
 */
export const limits = { account: 5, address: 50 } as const;
export const windowMinutes = 15;

const keys = (account: string, address: string) => ({
	account: `account:${account.toLowerCase()}`,
	address: `address:${address}`
});

/**
 * When sign-in is locked for this account or address, the time it opens again; otherwise null.
 * Keyed by what was typed, so an unknown reference locks exactly like a real one (no enumeration).
 */
export function lockedUntil(account: string, address: string, now = new Date()): Date | null {
	const since = new Date(now.getTime() - windowMinutes * 60_000);
	const k = keys(account, address);
	let until: Date | null = null;
	for (const [kind, key] of Object.entries(k) as ['account' | 'address', string][]) {
		const rows = database()
			.select({ at: signInFailures.at })
			.from(signInFailures)
			.where(and(eq(signInFailures.key, key), gt(signInFailures.at, since)))
			.orderBy(signInFailures.at)
			.all();
		if (rows.length >= limits[kind]) {
			const opens = new Date(
				rows[rows.length - limits[kind]]!.at.getTime() + windowMinutes * 60_000
			);
			if (!until || opens > until) until = opens;
		}
	}
	return until;
}

/** Counts a failed sign-in against the account and the address, and forgets stale failures. */
export function fail(account: string, address: string, now = new Date()): void {
	const db = database();
	const k = keys(account, address);
	db.insert(signInFailures)
		.values([
			{ key: k.account, at: now },
			{ key: k.address, at: now }
		])
		.run();
	db.delete(signInFailures)
		.where(lt(signInFailures.at, new Date(now.getTime() - windowMinutes * 60_000)))
		.run();
}

/** A successful sign-in clears the account's failures (the address keeps its count). */
export function succeed(account: string): void {
	database()
		.delete(signInFailures)
		.where(inArray(signInFailures.key, [keys(account, '').account]))
		.run();
}
