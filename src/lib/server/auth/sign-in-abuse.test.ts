import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freshDatabase } from '$lib/server/db/testing';
import { cases as caseRows, emailLinks as linkRows, outbox, users } from '$lib/server/db/schema';
import { fixedT } from '$lib/server/i18n';
import * as cases from '$lib/server/cases';
import * as referrals from '$lib/server/referrals';
import {
	cookieJar,
	saveSteps,
	staffMember,
	testCipher,
	validSteps
} from '$lib/server/testing/fixtures';
import { deviceCookie } from './devices';
import * as emailLinks from './email-links';
import { hashSecret } from './passwords';
import * as people from './people';
import * as rateLimit from './rate-limit';
import * as staff from './staff';

let db: ReturnType<typeof freshDatabase>['db'];
beforeEach(() => {
	({ db } = freshDatabase());
	testCipher();
});
afterEach(() => vi.useRealTimers());

const passphrase = 'purple kettle river moon';
const stranger = '203.0.113.9';
const home = '198.51.100.1';
const wrongTries = (n: number, reference: string, address: string, cookies = cookieJar()) =>
	Array.from({ length: n }).reduce<Promise<unknown>>(
		(previous) => previous.then(() => people.signIn(reference, 'wrong guess', address, cookies)),
		Promise.resolve()
	);

async function personCase(overrides = {}) {
	const draftToken = await saveSteps(validSteps(overrides));
	const sent = await referrals.submit(draftToken);
	if (!sent.ok) throw new Error('incomplete');
	const { personId } = db
		.select({ personId: caseRows.personId })
		.from(caseRows)
		.where(eq(caseRows.id, sent.caseId))
		.get()!;
	return { ...sent, personId };
}

const later = (seconds: number) => vi.setSystemTime(new Date(Date.now() + seconds * 1000));

describe('a stranger guessing passphrases', () => {
	it('locks only themself: the person signs in from elsewhere after a short back-off', async () => {
		const { reference } = await personCase();
		await wrongTries(5, reference, stranger);
		expect(await people.signIn(reference, passphrase, stranger)).toMatchObject({
			ok: false,
			reason: 'lockedOut'
		});
		vi.useFakeTimers({ toFake: ['Date'] });
		// From another address the account is slowed, not locked: half a minute, then it opens.
		const slowed = await people.signIn(reference, passphrase, home);
		expect(slowed).toMatchObject({ ok: false, reason: 'lockedOut' });
		if (!slowed.ok && slowed.reason === 'lockedOut') {
			expect(slowed.until.getTime() - Date.now()).toBeLessThanOrEqual(30_000);
		}
		later(31);
		expect(await people.signIn(reference, passphrase, home)).toMatchObject({ ok: true });
		// The guesser stays locked out.
		expect(await people.signIn(reference, passphrase, stranger)).toMatchObject({
			reason: 'lockedOut'
		});
	});

	it('never holds back a browser where the person signed in before, even at the same address', async () => {
		const { reference } = await personCase();
		const own = cookieJar();
		expect(await people.signIn(reference, passphrase, home, own)).toMatchObject({ ok: true });
		expect(own.values.get(deviceCookie)).toBeTruthy();
		// Someone on the same home network, in another browser, guesses on and on.
		await wrongTries(12, reference, home);
		expect(await people.signIn(reference, passphrase, home)).toMatchObject({
			reason: 'lockedOut'
		});
		expect(await people.signIn(reference, passphrase, home, own)).toMatchObject({ ok: true });
		// A trusted browser has its own limit, and the cookie trusts it for this account only.
		await wrongTries(5, reference, home, own);
		expect(await people.signIn(reference, passphrase, home, own)).toMatchObject({
			reason: 'lockedOut'
		});
		const other = await personCase();
		const borrowed = cookieJar();
		borrowed.set(deviceCookie, own.values.get(deviceCookie)!, { path: '/' });
		await wrongTries(5, other.reference, stranger, borrowed);
		expect(await people.signIn(other.reference, passphrase, stranger, borrowed)).toMatchObject({
			reason: 'lockedOut'
		});
	});

	it('gets no more guesses by sending them all at once: each is counted before it is checked', async () => {
		const { reference } = await personCase();
		// Thirty-nine wrong guesses and the right passphrase, sent together from one address.
		const burst = await Promise.all([
			...Array.from({ length: 39 }, () =>
				people.signIn(reference, 'wrong guess', stranger, cookieJar())
			),
			people.signIn(reference, passphrase, stranger, cookieJar())
		]);
		const refused = burst.filter((answer) => !answer.ok && answer.reason === 'lockedOut');
		expect(burst.length - refused.length).toBe(rateLimit.limits.guesser);
		expect(burst.at(-1)).toMatchObject({ ok: false, reason: 'lockedOut' });
		// Staff passwords the same way.
		db.insert(users)
			.values({
				role: 'caseworker',
				email: 'burst@onedoor.test',
				secretHash: await hashSecret('a long enough password')
			})
			.run();
		const passwords = await Promise.all(
			Array.from({ length: 20 }, () =>
				staff.signInWithPassword('burst@onedoor.test', 'guess', stranger, cookieJar())
			)
		);
		const tried = passwords.filter((answer) => !answer.ok && answer.reason === 'invalid');
		expect(tried).toHaveLength(rateLimit.limits.guesser);
	});

	it('leaves no failure behind when the secret was right', async () => {
		const { reference } = await personCase();
		for (let i = 0; i < 10; i++) {
			expect(await people.signIn(reference, passphrase, stranger, cookieJar())).toMatchObject({
				ok: true
			});
		}
	});

	it('cannot lock a staff member out either', async () => {
		db.insert(users)
			.values({
				role: 'caseworker',
				email: 'worker@onedoor.test',
				secretHash: await hashSecret('a long enough password')
			})
			.run();
		const own = cookieJar();
		const right = (address: string, cookies = cookieJar()) =>
			staff.signInWithPassword('worker@onedoor.test', 'a long enough password', address, cookies);
		expect(await right(home, own)).toMatchObject({ ok: true });
		for (let i = 0; i < 8; i++) {
			await staff.signInWithPassword('Worker@onedoor.test', 'guess', stranger, cookieJar());
		}
		expect(await right(stranger)).toMatchObject({ reason: 'lockedOut' });
		expect(await right(home, own)).toMatchObject({ ok: true });
		vi.useFakeTimers({ toFake: ['Date'] });
		later(rateLimit.backoff.maxSeconds + 1);
		expect(await right('192.0.2.50')).toMatchObject({ ok: true });
	});
});

describe('email links', () => {
	const t = fixedT('en');
	const ask = (reference: string, address = home, cookies = cookieJar()) => {
		emailLinks.request(reference, 'sign_in', cookies, address, t, 'en');
		return cookies;
	};

	it('are not sign-in failures: many requests never lock sign-in from that address', async () => {
		const { reference } = await personCase();
		for (let i = 0; i < 60; i++) ask(`ZZZZ-ZZ${String(i).padStart(2, '0')}`);
		for (let i = 0; i < 5; i++) ask(reference, '192.0.2.7');
		expect(await people.signIn(reference, passphrase, home)).toMatchObject({ ok: true });
		// Their own bucket still stops anyone filling the person's inbox.
		const queued = db.select().from(outbox).where(eq(outbox.kind, 'sign_in_link')).all();
		expect(queued).toHaveLength(rateLimit.linkLimits.reference);
	});

	it('answer alike for every reference, and the link goes through the outbox', async () => {
		const withEmail = await personCase();
		const withoutEmail = await personCase({
			contact: { ...validSteps()[6]![1], channels: ['phone'] }
		});
		const locked = await personCase();
		db.update(users).set({ lockedAt: new Date() }).where(eq(users.id, locked.personId)).run();
		const jars = [withEmail.reference, withoutEmail.reference, locked.reference, 'ACDE-FG4K'].map(
			(r) => ask(r)
		);
		for (const jar of jars) expect([...jar.values.keys()]).toEqual([emailLinks.browserCookie]);
		// Only the real, unlocked reference with a safe email has a link, queued in the outbox.
		const links = db.select().from(linkRows).all();
		expect(links.map((l) => l.userId)).toEqual([withEmail.personId]);
		const [row] = db.select().from(outbox).where(eq(outbox.kind, 'sign_in_link')).all();
		expect(row?.caseId).toBe(withEmail.caseId);
		const message = row!.payload!;
		expect(message).toMatchObject({ channel: 'email', to: 'agnieszka@example.org' });
		expect(message.text).toContain('/sign-in/link?token=');
	});
});

describe('changing the safe email or phone', () => {
	it('sends the old address a notice that says nothing, in the person’s language', async () => {
		const sent = await personCase({
			contact: { ...validSteps()[6]![1], channels: ['text', 'email'] }
		});
		const own = cases.person.ownCase(sent.personId)!;
		const before = cases.person.preferences(own).contact;
		expect(
			cases.person.updatePreferences(own, 'contact', {
				...before,
				email: 'new.address@example.org',
				phone: '07700 900123'
			})
		).toBe(true);
		const notices = db
			.select()
			.from(outbox)
			.where(eq(outbox.kind, 'contact_changed'))
			.all()
			.map((row) => row.payload!);
		expect(notices.map((n) => [n.channel, n.to])).toEqual([
			['email', 'agnieszka@example.org'],
			['text', '07700 900982']
		]);
		const polish = fixedT('pl');
		for (const notice of notices) {
			expect(notice.subject).toBe(polish('common.notify.contactChangedSubject'));
			for (const secret of ['new.address', '900123', 'OneDoor', 'Agnieszka', sent.reference]) {
				expect(`${notice.subject}\n${notice.text}`).not.toContain(secret);
			}
		}
	});

	it('asks for the passphrase again, counting wrong answers', async () => {
		const sent = await personCase();
		expect(await people.confirmPassphrase(sent.personId, 'wrong', home)).toBe('invalid');
		expect(await people.confirmPassphrase(sent.personId, passphrase, home)).toBe('ok');
		for (let i = 0; i < 5; i++) await people.confirmPassphrase(sent.personId, 'wrong', home);
		expect(await people.confirmPassphrase(sent.personId, passphrase, home)).toBe('lockedOut');
	});
});

describe('a new passphrase', () => {
	const t = fixedT('en');
	/** Asks for a reset link in a browser of its own; the link's token, from its queued email. */
	const resetLink = (reference: string) => {
		const cookies = cookieJar();
		emailLinks.request(reference, 'reset', cookies, home, t, 'en');
		const [row] = db.select().from(outbox).where(eq(outbox.kind, 'reset_link')).all().slice(-1);
		const token = /token=([\w-]+)/.exec(row!.payload!.text)![1]!;
		return { cookies, token };
	};

	it('set with a reset code spends every emailed link still waiting', async () => {
		const { reference, personId, caseId } = await personCase();
		const link = resetLink(reference);
		const code = await people.issueResetCode(staffMember('caseworker', 'Amira'), personId, caseId);
		expect(await people.resetWithCode(reference, code, 'a brand new passphrase', home)).toEqual({
			ok: true
		});
		expect(await emailLinks.reset(link.token, 'someone else entirely', link.cookies)).toBe(false);
		expect(await people.signIn(reference, 'a brand new passphrase', home)).toMatchObject({
			ok: true
		});
	});

	it('set with a reset link ends a reset code still waiting', async () => {
		const { reference, personId, caseId } = await personCase();
		const code = await people.issueResetCode(staffMember('caseworker', 'Amira'), personId, caseId);
		const link = resetLink(reference);
		expect(await emailLinks.reset(link.token, 'a brand new passphrase', link.cookies)).toBe(true);
		expect(await people.resetWithCode(reference, code, 'someone else entirely', home)).toEqual({
			ok: false,
			reason: 'invalid'
		});
		expect(await people.signIn(reference, 'a brand new passphrase', home)).toMatchObject({
			ok: true
		});
	});
});
