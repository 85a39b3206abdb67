import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, hkdfSync } from 'node:crypto';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoStaff, staffPassword, totp, wrongCode } from './staff';

// Each test starts its own built server (or script) on a free port and a fresh SQLite file, and
// reads what an operator would see: the exit code and the log.

const key = (id: string, fill: number) => `${id}:${Buffer.alloc(32, fill).toString('base64')}`;

async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs a script to its end. */
function run(script: string, env: Record<string, string>): Promise<Run> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [script], { env: { ...process.env, ...env } });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => child.kill(), 20_000);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/** A server started with `env` on a fresh port: either it stops (refused) or it listens. */
async function start(env: Record<string, string>) {
	const port = await freePort();
	const origin = `http://localhost:${port}`;
	const child: ChildProcess = spawn(process.execPath, ['server.js'], {
		env: {
			...process.env,
			NODE_ENV: 'test',
			PORT: String(port),
			ORIGIN: origin,
			OUTBOX_INTERVAL_MS: '60000',
			...env
		}
	});
	const output = { stdout: '', stderr: '' };
	child.stdout!.on('data', (chunk) => (output.stdout += chunk));
	child.stderr!.on('data', (chunk) => (output.stderr += chunk));
	const listening = await new Promise<boolean>((resolve) => {
		const settle = (answer: boolean) => {
			clearTimeout(timer);
			resolve(answer);
		};
		const timer = setTimeout(() => settle(false), 20_000);
		child.on('exit', () => settle(false));
		child.stdout!.on('data', () => {
			if (output.stdout.includes('is listening')) settle(true);
		});
	});
	const exited = new Promise<number | null>((resolve) =>
		child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)
	);
	return {
		origin,
		listening,
		output,
		/** Stops the server and returns its exit code. */
		async stop() {
			if (child.exitCode === null) child.kill('SIGTERM');
			return exited;
		}
	};
}

const freshDatabase = () => join(mkdtempSync(join(tmpdir(), 'onedoor-startup-')), 'onedoor.db');

test('production refuses demo accounts in one clear sentence @once', async () => {
	const server = await start({
		NODE_ENV: 'production',
		DEMO_DATA: 'true',
		SMTP_URL: 'smtp://127.0.0.1:1',
		DATA_KEY: key('p', 1),
		DATABASE_PATH: freshDatabase()
	});
	expect(await server.stop()).toBe(1);
	expect(server.output.stderr.trim()).toBe(
		'OneDoor cannot start: DEMO_DATA must not be true in production, where demo staff with a published password would be real accounts (a test server runs with NODE_ENV=test).'
	);
	expect(server.output.stdout).not.toContain('TOTP secret');
});

test('production refuses to start without a way to send email @once', async () => {
	const server = await start({
		NODE_ENV: 'production',
		SMTP_URL: '',
		DATA_KEY: key('p', 1),
		DATABASE_PATH: freshDatabase()
	});
	expect(await server.stop()).toBe(1);
	expect(server.output.stderr.trim()).toBe(
		'OneDoor cannot start: SMTP_URL is not set: in production the server needs it to send sign-in links and notifications by email.'
	);
});

test('outside production no data key is made: only npm run demo makes one @once', async () => {
	const database = freshDatabase();
	const server = await start({ DATA_KEY: '', DATABASE_PATH: database });
	expect(await server.stop()).toBe(1);
	expect(server.output.stderr.trim()).toBe(
		'OneDoor cannot start: DATA_KEY is not set: the server needs it to protect what people tell us (`npm run demo` makes a local one for trying OneDoor).'
	);
	expect(existsSync(join(database, '..', 'demo-data-key'))).toBe(false);
});

test('a malformed request is logged in one line, without its address @once', async () => {
	const server = await start({ DATA_KEY: key('t', 2), DATABASE_PATH: freshDatabase() });
	expect(server.listening).toBe(true);
	const response = await fetch(`${server.origin}/sign-in/%E0%A4%A?token=live-token-123`);
	expect(response.status).toBe(400);
	await server.stop();
	expect(server.output.stderr.trim()).toBe(
		'Refused a bad request (400 Malformed URI): GET no route'
	);
});

test('a new data key without the old one is refused by id; npm run rekey lets the old key go @once', async () => {
	const DATABASE_PATH = freshDatabase();
	const [oldKey, newKey] = [key('2025', 3), key('2026', 4)];

	// Demo data seals names, accounts and secrets under the old key.
	const first = await start({ DATA_KEY: oldKey, DEMO_DATA: 'true', DATABASE_PATH });
	expect(first.listening).toBe(true);
	await first.stop();
	const [, reference] = /victim +\/sign-in +reference (\S+)/.exec(first.output.stdout) ?? [];
	expect(reference).toBeTruthy();

	const refused = await start({ DATA_KEY: newKey, DATABASE_PATH });
	expect(await refused.stop()).toBe(1);
	expect(refused.output.stderr.trim()).toBe(
		'OneDoor cannot start: Values in the database are sealed with data key "2025", which is neither DATA_KEY nor in DATA_KEYS_OLD: add that key to DATA_KEYS_OLD (and run `npm run rekey` to re-seal them under DATA_KEY).'
	);

	const rekeyed = await run('scripts/rekey.js', {
		DATA_KEY: newKey,
		DATA_KEYS_OLD: oldKey,
		DATABASE_PATH
	});
	expect(rekeyed.stderr).toBe('');
	expect(rekeyed.code).toBe(0);
	expect(rekeyed.stdout).toMatch(
		/^Re-sealed \d+ values under data key "2026": every sealed value now uses DATA_KEY, so DATA_KEYS_OLD can be removed\.\n$/
	);

	// With the new key alone, the demo victim signs in and reads their case.
	const server = await start({ DATA_KEY: newKey, DATABASE_PATH });
	expect(server.listening).toBe(true);
	try {
		const signIn = await fetch(`${server.origin}/sign-in`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: server.origin,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ reference: reference!, passphrase: 'purple kettle river moon' })
		});
		expect(signIn.status).toBe(303);
		const cookie = signIn.headers
			.getSetCookie()
			.map((line) => line.split(';')[0])
			.join('; ');
		const my = await fetch(`${server.origin}/my`, { headers: { cookie }, redirect: 'manual' });
		expect(my.status).toBe(200);
		expect(await my.text()).toContain(reference!);
	} finally {
		await server.stop();
	}
	expect(server.output.stderr).toBe('');
});

/** Signs in as a person, straight to the server; answers the status (303: signed in). */
async function personSignIn(
	origin: string,
	reference: string,
	passphrase: string,
	headers: Record<string, string> = {}
) {
	const response = await fetch(`${origin}/sign-in`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded',
			...headers
		},
		body: new URLSearchParams({ reference, passphrase })
	});
	return { status: response.status, text: await response.text() };
}

const demoPassphrase = 'purple kettle river moon';

// Five wrong codes lock this address out of that account's second factor for a while: on a
// server of its own, so that the shared suite's one address keeps its budget (playwright.config.ts).
test('after five wrong codes, even the right one is told to wait, not called wrong @once', async ({
	page
}) => {
	const server = await start({
		DATA_KEY: key('t', 6),
		DEMO_DATA: 'true',
		DATABASE_PATH: freshDatabase()
	});
	expect(server.listening).toBe(true);
	try {
		await page.goto(`${server.origin}/staff/sign-in`);
		await page.getByLabel('Work email').fill(demoStaff.supervisor.email);
		await page.getByLabel('Password').fill(staffPassword);
		await page.getByRole('button', { name: 'Continue' }).click();
		await expect(page).toHaveURL(/\/staff\/verify$/);
		for (let i = 0; i < 5; i++) {
			await page.getByLabel('Code').fill(wrongCode(demoStaff.supervisor.secret));
			await page.getByRole('button', { name: 'Sign in' }).click();
			await expect(page.getByRole('alert')).toContainText('That code is not right');
		}
		await page.getByLabel('Code').fill(totp(demoStaff.supervisor.secret));
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert')).toContainText(
			/Too many wrong codes\. You can try again after \d\d:\d\d/
		);
		await expect(page).toHaveURL(/\/staff\/verify$/);
	} finally {
		await server.stop();
	}
});

test('behind a proxy, a sign-in that did not come through it still answers, and is logged once @once', async () => {
	const server = await start({
		DATA_KEY: key('t', 5),
		DEMO_DATA: 'true',
		DATABASE_PATH: freshDatabase(),
		ADDRESS_HEADER: 'x-real-ip'
	});
	expect(server.listening).toBe(true);
	try {
		const [, reference] = /victim +\/sign-in +reference (\S+)/.exec(server.output.stdout) ?? [];
		// Through the proxy: its header names the client.
		const proxied = { 'x-real-ip': '198.51.100.7' };
		expect((await personSignIn(server.origin, reference!, demoPassphrase, proxied)).status).toBe(
			303
		);
		// Straight to the port, twice: an answer each time, never a server error.
		expect((await personSignIn(server.origin, reference!, demoPassphrase)).status).toBe(303);
		const wrong = await personSignIn(server.origin, reference!, 'not the passphrase at all');
		expect(wrong.status).toBe(400);
		expect(wrong.text).toContain('reference or passphrase');
	} finally {
		await server.stop();
	}
	const warnings = server.output.stderr
		.split('\n')
		.filter((line) => line.includes('ADDRESS_HEADER'));
	expect(warnings).toEqual([
		'OneDoor warning: a request reached the server without the proxy header ADDRESS_HEADER names (or with fewer X-Forwarded-For entries than XFF_DEPTH): its connection address is used. If every request comes through the proxy, only the proxy should be able to reach this port.'
	]);
});

test('a restored database erases again, as it starts, the cases the erasure ledger names @once', async () => {
	const DATABASE_PATH = freshDatabase();
	const ERASURE_LEDGER = join(DATABASE_PATH, '..', 'erasures.ledger');
	const env = { DATA_KEY: key('t', 6), DATABASE_PATH, ERASURE_LEDGER };
	const first = await start({ ...env, DEMO_DATA: 'true' });
	expect(first.listening).toBe(true);
	await first.stop();
	const [, reference] = /victim +\/sign-in +reference (\S+)/.exec(first.output.stdout) ?? [];
	// The first start made the ledger, empty: nobody has been erased.
	expect(readFileSync(ERASURE_LEDGER, 'utf8')).toBe('');

	// As a ledger kept beside the backups reads after this case was erased and the database was
	// then restored from a backup taken before.
	const sqlite = new Database(DATABASE_PATH);
	const caseId = sqlite
		.prepare('select id from cases where reference = ?')
		.pluck()
		.get(reference!) as string;
	sqlite.close();
	const erasedAt = '2026-11-30T10:00:00.000Z';
	// Signed as the server signs a line: HMAC under a key derived (HKDF) from DATA_KEY for the
	// ledger alone. A line not signed so is read as damage, and erases nobody.
	const ledgerKey = Buffer.from(
		hkdfSync('sha256', Buffer.alloc(32, 6), 'onedoor', 'erasure-ledger', 32)
	);
	const mac = createHmac('sha256', ledgerKey)
		.update(`${caseId}|${erasedAt}|support_declined`)
		.digest('base64url');
	const line = { case: caseId, erasedAt, outcome: 'support_declined', key: 't', mac };
	const forged = { ...line, case: 'a-case-someone-wants-gone', mac: 'x' };
	writeFileSync(ERASURE_LEDGER, `\n${JSON.stringify(line)}\n${JSON.stringify(forged)}\n`);

	const server = await start(env);
	expect(server.listening).toBe(true);
	try {
		const signIn = await personSignIn(server.origin, reference!, demoPassphrase);
		expect(signIn.status).toBe(400);
	} finally {
		await server.stop();
	}
	expect(server.output.stderr).toContain(
		'OneDoor erased 1 case(s) again: the erasure ledger says they were erased after this database was backed up.'
	);
	expect(server.output.stderr).toContain(
		`OneDoor warning: 1 line(s) of the erasure ledger at "${ERASURE_LEDGER}" could not be read or trusted`
	);
	const after = new Database(DATABASE_PATH, { readonly: true });
	const row = after
		.prepare('select status, outcome, anonymised_at, erased_at from cases where id = ?')
		.get(caseId);
	after.close();
	expect(row).toEqual({
		status: 'closed',
		outcome: 'support_declined',
		anonymised_at: expect.any(Number),
		erased_at: Date.parse(erasedAt)
	});
});
