import nodemailer, { type Transporter } from 'nodemailer';
import { env } from '$env/dynamic/private';

/** One email: plain text only, so nothing in it can load from elsewhere. */
export interface Email {
	to: string;
	subject: string;
	text: string;
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
 * Sends an email through SMTP (`SMTP_URL`), or, with none configured, writes it to the server log
 * so a local demo can follow the link. Throws when the SMTP server refuses or is down.
 */
export async function sendEmail(email: Email): Promise<void> {
	const transporter = smtp();
	if (!transporter) {
		console.log(
			`[email not sent: SMTP_URL is unset]\nTo: ${email.to}\nSubject: ${email.subject}\n\n${email.text}`
		);
		return;
	}
	await transporter.sendMail({
		from: env.MAIL_FROM || 'no-reply@localhost',
		to: email.to,
		subject: email.subject,
		text: email.text
	});
}
