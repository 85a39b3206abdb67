import { createServer } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { env } from '$env/dynamic/private';
import { EmailNotSent, sendEmail } from './email';

const email = {
	to: 'sam.private@example.org',
	subject: 'Your sign-in link',
	text: 'Open http://localhost:3000/sign-in/link?token=live-token-123 within 10 minutes.'
};

/** Everything the process wrote to its log while `run` ran. */
async function logged(run: () => Promise<unknown>): Promise<string> {
	const lines: string[] = [];
	const capture = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
	const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
		vi.spyOn(console, level).mockImplementation(capture)
	);
	const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
		lines.push(String(chunk));
		return true;
	});
	try {
		await run().catch((error: unknown) => lines.push(`(thrown) ${(error as Error).message}`));
	} finally {
		for (const spy of spies) spy.mockRestore();
		write.mockRestore();
	}
	return lines.join('\n');
}

let smtp: SMTPServer | undefined;
beforeEach(() => {
	delete env.SMTP_URL;
});
afterEach(async () => {
	await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
	smtp = undefined;
});

describe('sending email', () => {
	it('without SMTP_URL holds the email and writes nothing of it to the log', async () => {
		await expect(sendEmail(email)).rejects.toThrowError(EmailNotSent);
		const log = await logged(() => sendEmail(email));
		expect(log).toContain('held, not sent: SMTP_URL is unset');
		expect(log).not.toContain('sam.private');
		expect(log).not.toContain('token');
		expect(log).not.toContain('sign-in');
	});

	it('says why an SMTP server refused without repeating the address it quoted', async () => {
		const port = await new Promise<number>((resolve) => {
			const probe = createServer().listen(0, '127.0.0.1', () => {
				const { port } = probe.address() as { port: number };
				probe.close(() => resolve(port));
			});
		});
		smtp = new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS'],
			onRcptTo(address, _session, done) {
				done(
					Object.assign(new Error(`Mailbox <${address.address}> unavailable`), {
						responseCode: 550
					})
				);
			}
		});
		await new Promise<void>((resolve) => smtp!.listen(port, '127.0.0.1', resolve));
		env.SMTP_URL = `smtp://127.0.0.1:${port}`;
		const failure = await sendEmail(email).catch((error: unknown) => error as Error);
		expect(failure).toBeInstanceOf(EmailNotSent);
		expect(failure?.message).toMatch(/^the SMTP server refused the email/);
		expect(failure?.message).not.toContain('sam.private');
	});
});
