import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { database } from '$lib/server/db';
import { signInFailures } from '$lib/server/db/schema';

/**
 * How many failures in the window each key allows. A stranger must not be able to lock a real
 * person out (OWASP "Slow down online guessing attacks with device cookies"), so what is locked
 * is the guesser: one account from one address (`guesser`), one address across accounts
 * (`address`, generous because refuges, libraries and phone networks put many people behind one
 * address), or one trusted browser (`device`). The account itself is never locked: past
 * `account` failures from anywhere, untrusted browsers only slow down (`backoff`). The one
 * exception is a worker's second factor, once someone holding their password has given
 * `secondFactorLimit` wrong codes in a row.
 */
export const limits = { guesser: 5, address: 50, device: 5, account: 5 } as const;
export const windowMinutes = 15;
/** Once an account is past its limit, an untrusted try waits 30 s, doubling, at most 5 minutes. */
export const backoff = { firstSeconds: 30, maxSeconds: 300 } as const;
/**
 * Wrong second-factor codes in a row after which a worker's codes stop working until their
 * sign-in is reset (`resetSignIn` in staff.ts): NIST SP 800-63B §5.2.2 allows no more than 100
 * consecutive failed attempts on one account. The waits above slow a guesser who has the password
 * to about 26 codes an hour from changing addresses, but never stop them: with at most three codes
 * right at any moment, one in a million each, that is about one chance in 500 a day. The count is
 * kept on the account (`users.second_factor_failures`), not in the window here.
 */
export const secondFactorLimit = 100;
/** Email-link requests are their own bucket, never sign-in failures: per reference and address. */
export const linkLimits = { reference: 3, address: 20 } as const;

/** One try at a secret: what it was for, where it came from, and the trusted browser if any. */
export interface Attempt {
	account: string;
	address: string;
	/** The id of a valid device cookie for this same account (see `devices.ts`), if there is one. */
	device?: string | null;
}

const windowStart = (now: Date) => new Date(now.getTime() - windowMinutes * 60_000);

function keys({ account, address, device }: Attempt) {
	const who = account.toLowerCase();
	return {
		account: `account:${who}`,
		guesser: `guesser:${who}|${address}`,
		address: `address:${address}`,
		device: device ? `device:${who}|${device}` : null
	};
}

function recent(key: string, now: Date): Date[] {
	return database()
		.select({ at: signInFailures.at })
		.from(signInFailures)
		.where(and(eq(signInFailures.key, key), gt(signInFailures.at, windowStart(now))))
		.orderBy(signInFailures.at)
		.all()
		.map((row) => row.at);
}

/** When `limit` failures under `key` are in the window: the time the oldest of them lapses. */
function lockOpens(key: string, limit: number, now: Date): Date | null {
	const times = recent(key, now);
	if (times.length < limit) return null;
	return new Date(times[times.length - limit]!.getTime() + windowMinutes * 60_000);
}

const later = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a > b ? a : b);

/**
 * When this try may be made, if not now; otherwise null. Keyed by what was typed, so an unknown
 * account slows and locks exactly like a real one (no enumeration). A trusted browser answers only
 * for its own failures: neither the account's back-off nor a guesser at the same address (an
 * abuser on the home network) stops its owner from signing in with the right secret.
 */
export function waitUntil(
	attempt: Attempt,
	now = new Date(),
	{ countAddress = true }: { countAddress?: boolean } = {}
): Date | null {
	const k = keys(attempt);
	if (k.device) {
		const opens = lockOpens(k.device, limits.device, now);
		return opens && opens > now ? opens : null;
	}
	let until = later(
		lockOpens(k.guesser, limits.guesser, now),
		// `countAddress: false` asks whether this account's own tries hold it back, whatever
		// others at the same address have done.
		countAddress ? lockOpens(k.address, limits.address, now) : null
	);
	const failures = recent(k.account, now);
	const over = failures.length - limits.account;
	if (over >= 0) {
		const seconds = Math.min(backoff.firstSeconds * 2 ** over, backoff.maxSeconds);
		until = later(until, new Date(failures[failures.length - 1]!.getTime() + seconds * 1000));
	}
	return until && until > now ? until : null;
}

/**
 * Counts a failed try against the guesser (or the trusted browser), and forgets stale failures.
 * Answers the ids of the rows it wrote.
 */
export function fail(attempt: Attempt, now = new Date()): number[] {
	const db = database();
	const k = keys(attempt);
	const counted = k.device ? [k.device] : [k.account, k.guesser, k.address];
	const rows = db
		.insert(signInFailures)
		.values(counted.map((key) => ({ key, at: now })))
		.returning({ id: signInFailures.id })
		.all();
	db.delete(signInFailures)
		.where(lt(signInFailures.at, windowStart(now)))
		.run();
	return rows.map((row) => row.id);
}

/** A try at a secret under way, counted as failed until `right()` says the secret was right. */
export interface Try {
	right(): void;
}

/**
 * Begins a try at a secret: when it may be made, if not now (and then nothing is counted), or the
 * try, already counted as a failure. Checking a secret waits on argon2 (milliseconds, on another
 * thread), and tries sent all at once must not each pass the limit while the first is still being
 * checked: counted first, the sixth of a burst finds the five before it. The caller takes the
 * count back with `right()` once the secret proved right; a wrong one needs nothing more.
 */
export function begin(attempt: Attempt, now = new Date()): Try | { until: Date } {
	const until = waitUntil(attempt, now);
	if (until) return { until };
	const ids = fail(attempt, now);
	return {
		right() {
			database().delete(signInFailures).where(inArray(signInFailures.id, ids)).run();
		}
	};
}

/**
 * A try at signing in with an organisation: which one, and the email it vouched for (none when it
 * failed before naming anyone: a forged or replayed callback, a refused token, an email it has not
 * verified). The organisation checked the secret, so what is counted is our refusals, like wrong
 * passwords: per email from one address, per address, and a back-off per email.
 */
export function organisationAttempt(orgId: string, address: string, email?: string | null) {
	return { account: `organisation:${orgId}|${email?.trim().toLowerCase() ?? ''}`, address };
}

/**
 * When this organisation sign-in may be tried, if not now. Before the organisation has named
 * anyone, only this address's own refusals count: callbacks forged from elsewhere slow nobody.
 */
export function organisationWaitUntil(
	orgId: string,
	address: string,
	email?: string | null,
	now = new Date()
): Date | null {
	const attempt = organisationAttempt(orgId, address, email);
	if (email) return waitUntil(attempt, now);
	const k = keys(attempt);
	const until = later(
		lockOpens(k.guesser, limits.guesser, now),
		lockOpens(k.address, limits.address, now)
	);
	return until && until > now ? until : null;
}

/**
 * A successful sign-in clears this guesser's and this browser's failures. The account keeps its
 * count: knowing the secret here says nothing about who is guessing elsewhere.
 */
export function succeed(attempt: Attempt): void {
	const k = keys(attempt);
	database()
		.delete(signInFailures)
		.where(inArray(signInFailures.key, [k.guesser, ...(k.device ? [k.device] : [])]))
		.run();
}

/**
 * Forgets every failure counted against these accounts (sign-in by email, a signed-in worker's
 * password checks by id), from every address and browser: after a manager resets a worker's
 * sign-in, the first password they give must open the door at once, not after the lockout that
 * the forgotten password ran into. Other accounts' and addresses' counts stay.
 */
export function forgetAccounts(accounts: string[]): void {
	const db = database();
	for (const account of accounts.map((a) => a.toLowerCase())) {
		const k = keys({ account, address: '' });
		for (const prefix of [`guesser:${account}|`, `device:${account}|`]) {
			db.delete(signInFailures)
				.where(sql`substr(${signInFailures.key}, 1, ${prefix.length}) = ${prefix}`)
				.run();
		}
		db.delete(signInFailures).where(eq(signInFailures.key, k.account)).run();
	}
}

/**
 * Counts a request for an email link and says whether it may go: at most `linkLimits.reference`
 * per reference (nobody can fill a person's inbox) and `linkLimits.address` per address in the
 * window. These are not sign-in failures and never slow or lock signing in.
 */
export function allowLink(reference: string, address: string, now = new Date()): boolean {
	const byReference = `link:${reference.toLowerCase()}`;
	const byAddress = `link-address:${address}`;
	if (
		recent(byReference, now).length >= linkLimits.reference ||
		recent(byAddress, now).length >= linkLimits.address
	) {
		return false;
	}
	const db = database();
	db.insert(signInFailures)
		.values([
			{ key: byReference, at: now },
			{ key: byAddress, at: now }
		])
		.run();
	db.delete(signInFailures)
		.where(lt(signInFailures.at, windowStart(now)))
		.run();
	return true;
}
