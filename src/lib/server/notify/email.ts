import nodemailer, { type Transporter } from 'nodemailer';
import { env } from '$env/dynamic/private';

/** One email: plain text only, so nothing in it can load from elsewhere. */
export interface Email {
	to: string;
	subject: string;
	text: string;
}

/**
 * Why an email did not go, in words that hold no address, link or passphrase: the reason is
 * logged and kept in the outbox (DESIGN rule 9), and SMTP servers' answers often quote the address.
 */
export class EmailNotSent extends Error {
	override name = 'EmailNotSent';
}

let transport: { url: string; transporter: Transporter } | undefined;

// One transport per SMTP_URL, made again if the setting changes (tests move the server).
function smtp(): Transporter | null {
	const url = env.SMTP_URL;
	if (!url) return null;
	if (transport?.url !== url) transport = { url, transporter: nodemailer.createTransport(url) };
	return transport.transporter;
}

/**
 * Sends an email through SMTP (`SMTP_URL`). Without one (allowed only outside production) the
 * email is held: it throws, so a notification stays in the outbox, and nothing of the email is
 * ever written to the log. Throws an EmailNotSent when the SMTP server refuses or is down.
 */
export async function sendEmail(email: Email): Promise<void> {
	const transporter = smtp();
	if (!transporter) {
		throw new EmailNotSent(
			'held, not sent: SMTP_URL is unset (emails are never written to the log)'
		);
	}
	try {
		await transporter.sendMail({
			from: env.MAIL_FROM || 'no-reply@localhost',
			to: email.to,
			subject: email.subject,
			text: email.text
		});
	} catch (error) {
		const code = (error as { code?: unknown; responseCode?: unknown } | null) ?? {};
		const reason = [code.code, code.responseCode].filter((part) => part !== undefined).join(' ');
		throw new EmailNotSent(
			`the SMTP server refused the email or could not be reached${reason ? ` (${reason})` : ''}`
		);
	}
}
