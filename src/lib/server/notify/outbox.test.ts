import { createHmac } from 'node:crypto';
import Database from 'better-sqlite3';
import { createServer } from 'node:net';
import type { SMTPServer } from 'smtp-server';
import { startTestSmtp } from './test-smtp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { env } from '$env/dynamic/private';
import { eq } from 'drizzle-orm';
import { freshDatabase } from '$lib/server/db/testing';
import { cases as casesTable, outbox as outboxTable } from '$lib/server/db/schema';
import * as cases from '$lib/server/cases';
import * as messages from '$lib/server/messages';
import * as referrals from '$lib/server/referrals';
import { saveSteps, staffMember, testCipher, validSteps } from '$lib/server/testing/fixtures';
import * as staff from '$lib/server/auth/staff';
import { backoffMs, enqueue, giveUpAfterMs, sendDue } from './outbox';
import { notifyToken } from './sms';

let db: ReturnType<typeof freshDatabase>['db'];
let port: number;
const received: { to: string[]; subject: string; text: string }[] = [];
let smtp: SMTPServer | undefined;

async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives. */
async function startSmtp(refuses?: (address: string) => boolean): Promise<void> {
	smtp = await startTestSmtp(port, received, refuses);
}

beforeEach(async () => {
	({ db } = freshDatabase());
	testCipher();
	received.length = 0;
	port = await freePort();
	env.SMTP_URL = `smtp://127.0.0.1:${port}`;
});
afterEach(async () => {
	await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
	smtp = undefined;
});

async function personCase(overrides = {}) {
	const draftToken = await saveSteps(validSteps(overrides));
	const sent = await referrals.submit(draftToken);
	if (!sent.ok) throw new Error('incomplete');
	return sent;
}

/** A caseworker to write as. */
const caseworker = () =>
	(
		db.$client
			.prepare(
				"insert into users (id, role, created_at) values ('s1', 'caseworker', 0) returning id"
			)
			.get() as { id: string }
	).id;

const outboxRows = () =>
	db.$client.prepare("select * from outbox where audience = 'person'").all() as {
		status: string;
		attempts: number;
		channel: string | null;
		last_error: string | null;
		next_attempt_at: number;
	}[];

describe('the outbox', () => {
	it('tells the person once of changes made while the last notice still waits', async () => {
		const sent = await personCase();
		const supervisor = staffMember('supervisor', 'Jo');
		const worker = staffMember('caseworker', 'Amira');
		const own = () => db.select().from(casesTable).where(eq(casesTable.id, sent.caseId)).get()!;
		// An internal change (a note) tells the person nothing.
		expect(cases.changes.addNote(worker, own(), 'Called, no answer.')).toEqual({ ok: true });
		expect(outboxRows()).toHaveLength(0);
		// Three visible changes while the mail server is down: one notice waits, not three.
		expect(cases.changes.assign(supervisor, own(), worker.userId)).toEqual({ ok: true });
		await sendDue();
		expect(cases.changes.setStatus(worker, own(), 'support')).toEqual({ ok: true });
		expect(cases.changes.setStatus(worker, own(), 'court')).toEqual({ ok: true });
		expect(outboxRows()).toMatchObject([{ status: 'pending', attempts: 1 }]);
		await startSmtp();
		await sendDue(new Date(Date.now() + backoffMs(1) + 1000));
		expect(received.filter((m) => m.to.includes('agnieszka@example.org'))).toHaveLength(1);
		// Once it has gone, the next change is news again.
		expect(cases.changes.setStatus(worker, own(), 'support')).toEqual({ ok: true });
		expect(outboxRows().map((r) => r.status)).toEqual(['sent', 'pending']);
	});

	it('leaves its turn at once while a script holds the database, and sends the next', async () => {
		const sent = await personCase();
		messages.send(sent.caseId, 'staff', caseworker(), 'Hello from your named contact');
		await startSmtp();
		// Another writer (a script re-sealing the data, say) holds SQLite's write lock. Waiting for
		// it would hold the server's one thread, every page and the quick exit with it, each turn.
		const script = new Database(db.$client.name);
		script.exec('begin immediate');
		try {
			expect(await sendDue()).toBe(0);
			// The server's own requests still wait for a lock as before.
			expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
		} finally {
			script.exec('rollback');
			script.close();
		}
		expect(outboxRows()).toMatchObject([{ status: 'pending', attempts: 0 }]);
		expect(received).toHaveLength(0);
		await sendDue();
		expect(outboxRows()).toMatchObject([{ status: 'sent', attempts: 0 }]);
		expect(received.filter((m) => m.to.includes('agnieszka@example.org'))).toHaveLength(1);
	});

	it('keeps a notification while SMTP is down and delivers it once SMTP is back', async () => {
		const sent = await personCase();
		const staffId = caseworker();
		messages.send(sent.caseId, 'staff', staffId, 'Hello from your named contact');

		// Nothing listens on the port: the try fails, the row waits with its reason.
		await sendDue();
		expect(outboxRows()).toMatchObject([{ status: 'pending', attempts: 1 }]);
		expect(outboxRows()[0]!.last_error).toBeTruthy();
		expect(received).toHaveLength(0);

		// Not retried before its back-off has passed, even with SMTP back.
		await startSmtp();
		await sendDue();
		expect(received).toHaveLength(0);

		await sendDue(new Date(Date.now() + backoffMs(1) + 1000));
		expect(outboxRows()).toMatchObject([{ status: 'sent', attempts: 1, channel: 'email' }]);
		expect(received).toHaveLength(1);
		expect(received[0]!.to).toEqual(['agnieszka@example.org']);

		// Sent once: running again sends nothing more.
		await sendDue(new Date(Date.now() + 3_600_000));
		expect(received).toHaveLength(1);
	});

	it('says only that there is something new, in the person’s language, and no name or detail', async () => {
		const sent = await personCase();
		await startSmtp();
		const staffId = caseworker();
		messages.send(sent.caseId, 'staff', staffId, 'About the burglary at your flat');
		await sendDue();
		const mail = received.find((m) => m.to.includes('agnieszka@example.org'))!;
		const polish = (await import('$lib/i18n/locales/pl/common.json')).default.notify;
		expect(mail.subject).toBe(polish.subject);
		const everything = `${mail.subject}\n${mail.text}`;
		expect(everything).toContain('/pl/sign-in');
		for (const secret of [
			'burglary',
			'Burglary',
			'Agnieszka',
			'OneDoor',
			sent.reference,
			'back door'
		]) {
			expect(everything).not.toContain(secret);
		}
	});

	it.each(['ur', 'ta'])(
		'writes to someone who asked for %s in it, linking to sign-in in it',
		async (lang) => {
			const sent = await personCase({
				language: { language: lang, interpreter: 'no', accessNeeds: '' }
			});
			await startSmtp();
			messages.send(sent.caseId, 'staff', caseworker(), 'hello');
			await sendDue();
			const mail = received.find((m) => m.to.includes('agnieszka@example.org'))!;
			const theirs = (await import(`$lib/i18n/locales/${lang}/common.json`)).default.notify;
			expect(mail.subject).toBe(theirs.subject);
			expect(mail.text).toContain(`/${lang}/sign-in`);
		}
	);

	it('sends nothing by a route the person did not mark safe', async () => {
		const sent = await personCase({
			contact: {
				channels: ['portal'],
				name: 'A',
				phone: '',
				email: '',
				voicemail: '',
				sayWhoWeAre: '',
				safeTimes: '',
				alternative: ''
			}
		});
		await startSmtp();
		const staffId = caseworker();
		messages.send(sent.caseId, 'staff', staffId, 'hello');
		await sendDue();
		expect(outboxRows()).toMatchObject([{ status: 'sent', channel: 'portal' }]);
		expect(received.filter((m) => !m.to.some((to) => to.endsWith('@onedoor.test')))).toEqual([]);
	});
});

describe('notices to staff', () => {
	it('go to the supervisors when the named contact has left', async () => {
		// A caseworker leaves and is deactivated before their cases are given to someone else: a
		// message from the person must still reach somebody.
		const sent = await personCase();
		await startSmtp();
		const supervisor = staffMember('supervisor', 'Sol');
		const contact = staffMember('caseworker', 'Cas');
		const admin = staffMember('admin', 'Ada');
		const own = () => db.select().from(casesTable).where(eq(casesTable.id, sent.caseId)).get()!;
		expect(cases.changes.assign(supervisor, own(), contact.userId)).toEqual({ ok: true });
		await sendDue();
		received.length = 0;
		messages.send(sent.caseId, 'person', own().personId, 'Are you there?');
		await sendDue();
		expect(received.map((m) => m.to)).toEqual([['cas@onedoor.test']]);
		// As the admin page does, signed in.
		const signedIn = {
			...admin,
			sessionId: 's',
			expiresAt: Date.now() + 60_000,
			secondFactorPending: false
		};
		expect(staff.deactivate(signedIn, contact.userId)).toBe(true);
		received.length = 0;
		messages.send(sent.caseId, 'person', own().personId, 'Is anyone there?');
		await sendDue();
		expect(received.map((m) => m.to)).toEqual([['sol@onedoor.test']]);
		expect(received[0]!.text).not.toContain('Is anyone there');
	});
});

describe('a notice to several staff', () => {
	it('is not sent again to those it reached because one mailbox refuses it', async () => {
		const sent = await personCase();
		staffMember('supervisor', 'Una');
		staffMember('supervisor', 'Gone');
		await startSmtp((address) => address === 'gone@onedoor.test');
		// The new referral's own notice first, out of the way.
		await sendDue();
		received.length = 0;
		// As a share without consent queues it: one row for every supervisor.
		db.insert(outboxTable)
			.values({ kind: 'shared_without_consent', audience: 'staff', caseId: sent.caseId })
			.run();
		const at = Date.now();
		for (const later of [0, backoffMs(1) + 1000, backoffMs(1) + backoffMs(2) + 2000]) {
			await sendDue(new Date(at + later));
		}
		const reached = received.filter((m) => m.to.includes('una@onedoor.test'));
		expect(reached).toHaveLength(1);
		expect(
			db.$client.prepare("select status from outbox where kind = 'shared_without_consent'").all()
		).toEqual([{ status: 'sent' }]);
	});
});

describe('the routes a person changes at /my/details', () => {
	const portalOnly = {
		channels: ['portal'],
		name: 'A',
		phone: '',
		email: '',
		voicemail: '',
		sayWhoWeAre: '',
		safeTimes: '',
		alternative: ''
	};
	/** The channel each notice of something new went out by, oldest first. */
	const noticeChannels = () =>
		(
			db.$client
				.prepare(
					"select channel from outbox where audience = 'person' and kind != 'contact_changed' order by created_at"
				)
				.all() as { channel: string | null }[]
		).map((row) => row.channel);

	it('are the routes its notices and its first contact then use', async () => {
		const sent = await personCase({ contact: portalOnly });
		await startSmtp();
		const staffId = caseworker();
		const own = () => db.select().from(casesTable).where(eq(casesTable.id, sent.caseId)).get()!;
		expect(
			cases.person.updatePreferences(own(), 'contact', {
				...portalOnly,
				channels: ['email'],
				email: 'safe.now@example.org',
				sayWhoWeAre: 'yes'
			})
		).toBe(true);
		messages.send(sent.caseId, 'staff', staffId, 'hello');
		await sendDue();
		expect(received.map((m) => m.to)).toEqual([['safe.now@example.org']]);
		// They said we may now say who we are: the notice names the service.
		expect(received[0]!.text).toContain('OneDoor');
		// Staff may record first contact by the new route only.
		const worker = { userId: staffId, role: 'caseworker' as const };
		expect(cases.changes.recordFirstContact(worker, own(), 'phone')).toMatchObject({ ok: false });
		expect(cases.changes.recordFirstContact(worker, own(), 'email')).toEqual({ ok: true });

		// A new address, email still marked safe: the old address hears, content-free (a takeover
		// alarm).
		expect(
			cases.person.updatePreferences(own(), 'contact', {
				...portalOnly,
				channels: ['email'],
				email: 'safer.still@example.org',
				sayWhoWeAre: 'yes'
			})
		).toBe(true);
		// Back to the portal only before that notice went: email is no longer safe, so nothing goes
		// there, not even the notice that the details changed, queued while it still was; and the
		// next notice sends nothing.
		expect(cases.person.updatePreferences(own(), 'contact', portalOnly)).toBe(true);
		messages.send(sent.caseId, 'staff', staffId, 'hello again');
		await sendDue();
		expect(noticeChannels()).toEqual(['email', 'portal']);
		const changedNotices = db.$client
			.prepare(
				"select status, last_error, payload_sealed from outbox where kind = 'contact_changed'"
			)
			.all();
		expect(changedNotices).toEqual([
			{ status: 'failed', last_error: 'no longer a safe route', payload_sealed: null }
		]);
		expect(received.map((m) => m.to)).toEqual([['safe.now@example.org']]);
	});

	it('sends a queued notice to an old address only if the person still lets us name the service', async () => {
		const sent = await personCase({ contact: portalOnly });
		await startSmtp();
		const own = () => db.select().from(casesTable).where(eq(casesTable.id, sent.caseId)).get()!;
		const emailSafe = { ...portalOnly, channels: ['email'], sayWhoWeAre: 'yes' };
		cases.person.updatePreferences(own(), 'contact', { ...emailSafe, email: 'first@example.org' });
		// A new address queues the named notice to the old one; before it is sent, the person says
		// we must no longer say who we are (someone may read that inbox): it is not sent.
		cases.person.updatePreferences(own(), 'contact', { ...emailSafe, email: 'second@example.org' });
		cases.person.updatePreferences(own(), 'contact', {
			...emailSafe,
			email: 'second@example.org',
			sayWhoWeAre: 'no'
		});
		await sendDue();
		expect(received.filter((m) => m.to.includes('first@example.org'))).toEqual([]);
		expect(received.filter((m) => m.text.includes('OneDoor'))).toEqual([]);
	});

	it('does not go to the address they left, while the notice of the change still does', async () => {
		const sent = await personCase({ contact: portalOnly });
		const own = () => db.select().from(casesTable).where(eq(casesTable.id, sent.caseId)).get()!;
		const emailSafe = { ...portalOnly, channels: ['email'], sayWhoWeAre: 'no' };
		cases.person.updatePreferences(own(), 'contact', { ...emailSafe, email: 'first@example.org' });
		await sendDue();
		// Queued for first@ while the mail server is down (a sign-in link, a reference notice)...
		const message = {
			channel: 'email' as const,
			subject: 'S',
			text: 'Your link',
			person: { named: false }
		};
		enqueue('sign_in_link', sent.caseId, { ...message, to: 'First@example.org' });
		enqueue('sign_in_link', sent.caseId, {
			...message,
			to: 'first@example.org',
			text: 'Later link'
		});
		// ...then the person moves to a new address, keeping email safe.
		cases.person.updatePreferences(own(), 'contact', { ...emailSafe, email: 'second@example.org' });
		await startSmtp();
		await sendDue();
		expect(received.filter((m) => m.text.includes('link'))).toEqual([]);
		expect(
			db.$client.prepare("select status, last_error from outbox where kind = 'sign_in_link'").all()
		).toEqual([
			{ status: 'failed', last_error: 'no longer a safe route' },
			{ status: 'failed', last_error: 'no longer a safe route' }
		]);
		// The notice that the details changed goes to the old address, as it must.
		expect(received.map((m) => m.to)).toContainEqual(['first@example.org']);
	});
});

describe('a message fixed when queued (a sign-in link, a notice to an old address)', () => {
	const payloads = () =>
		db.$client.prepare("select status, payload_sealed from outbox where kind = 'test'").all() as {
			status: string;
			payload_sealed: string | null;
		}[];

	it('is retried until it goes, then forgotten; a lapsed link is never sent', async () => {
		const message = { channel: 'email' as const, to: 'x@example.org', subject: 'S', text: 'T' };
		enqueue('test', null, message);
		await sendDue();
		expect(payloads()).toMatchObject([{ status: 'pending' }]);
		expect(payloads()[0]!.payload_sealed).not.toContain('x@example.org');
		await startSmtp();
		await sendDue(new Date(Date.now() + backoffMs(1) + 1000));
		expect(received.map((m) => [m.to, m.subject])).toEqual([[['x@example.org'], 'S']]);
		// Sent: nothing of it (an address, a link) is kept.
		expect(payloads()).toEqual([{ status: 'sent', payload_sealed: null }]);

		db.$client.prepare("delete from outbox where kind = 'test'").run();
		enqueue('test', null, { ...message, expiresAt: Date.now() + 60_000 });
		await sendDue(new Date(Date.now() + 61_000));
		expect(received).toHaveLength(1);
		expect(payloads()).toEqual([{ status: 'failed', payload_sealed: null }]);
	});

	it('sends the others past one it cannot read, and gives up on that one after three days', async () => {
		const message = { channel: 'email' as const, to: 'x@example.org', subject: 'S', text: 'T' };
		const damaged = enqueue('test', null, { ...message, to: 'damaged@example.org' });
		enqueue('test', null, message);
		// A payload that no longer opens (damaged on disk): reading it throws.
		db.$client
			.prepare('update outbox set payload_sealed = ? where id = ?')
			.run('v1.test.AAAA', damaged);
		await startSmtp();
		await sendDue();
		expect(received.map((m) => m.to)).toEqual([['x@example.org']]);
		const state = () =>
			db.$client
				.prepare(
					'select status, attempts, payload_sealed is null as emptied from outbox where id = ?'
				)
				.get(damaged);
		expect(state()).toEqual({ status: 'pending', attempts: 1, emptied: 0 });
		// Still failing three days on: given up, and nothing of it is kept.
		await sendDue(new Date(Date.now() + giveUpAfterMs + 60_000));
		expect(state()).toEqual({ status: 'failed', attempts: 2, emptied: 1 });
		expect(received).toHaveLength(1);
	});

	it('is a text that fails, not one marked sent, when texts are not set up', async () => {
		// Without GOV.UK Notify (these tests have none) no text can go: the row must say so.
		enqueue('test', null, { channel: 'text', to: '07700 900 982', subject: '', text: 'T' });
		await sendDue();
		expect(
			db.$client
				.prepare("select status, last_error, payload_sealed from outbox where kind = 'test'")
				.all()
		).toEqual([{ status: 'failed', last_error: 'texts are not set up', payload_sealed: null }]);
	});
});

describe('GOV.UK Notify token', () => {
	it('is an HS256 JWT issued by the service id and signed with the secret', () => {
		const service = '26785a09-ab16-4eb0-8407-a37497a57506';
		const secret = '3d844edf-8d35-48ac-975b-e847b4f122b0';
		const token = notifyToken(`my_test_key-${service}-${secret}`, new Date(1_700_000_000_000));
		const [header, claims, signature] = token.split('.');
		expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({
			typ: 'JWT',
			alg: 'HS256'
		});
		expect(JSON.parse(Buffer.from(claims!, 'base64url').toString())).toEqual({
			iss: service,
			iat: 1_700_000_000
		});
		expect(signature).toBe(
			createHmac('sha256', secret).update(`${header}.${claims}`).digest('base64url')
		);
	});
});
