import { createHmac } from 'node:crypto';
import { env } from '$env/dynamic/private';

/** One text message. */
export interface Sms {
	to: string;
	text: string;
}

/**
 * Whether GOV.UK Notify is configured for texts: `NOTIFY_API_KEY` (the key Notify issues,
 * `name-<service id>-<secret>`) and `NOTIFY_SMS_TEMPLATE_ID` (a template whose body is `((body))`).
 */
export function smsConfigured(): boolean {
	return Boolean(env.NOTIFY_API_KEY && env.NOTIFY_SMS_TEMPLATE_ID);
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/** The bearer token Notify expects: a JWT signed with HS256, issued by the service id, now. */
export function notifyToken(apiKey: string, now = new Date()): string {
	// The key ends with two UUIDs: the service id (issuer), then the secret.
	const secret = apiKey.slice(-36);
	const serviceId = apiKey.slice(-73, -37);
	const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
	const claims = base64url(
		JSON.stringify({ iss: serviceId, iat: Math.floor(now.getTime() / 1000) })
	);
	const signature = base64url(createHmac('sha256', secret).update(`${header}.${claims}`).digest());
	return `${header}.${claims}.${signature}`;
}

/** Sends a text through GOV.UK Notify's REST API; throws when Notify refuses or cannot be reached. */
export async function sendSms(sms: Sms): Promise<void> {
	const apiKey = env.NOTIFY_API_KEY ?? '';
	const base = env.NOTIFY_BASE_URL || 'https://api.notifications.service.gov.uk';
	const response = await fetch(`${base}/v2/notifications/sms`, {
		method: 'POST',
		headers: {
			authorization: `Bearer ${notifyToken(apiKey)}`,
			'content-type': 'application/json'
		},
		body: JSON.stringify({
			phone_number: sms.to,
			template_id: env.NOTIFY_SMS_TEMPLATE_ID,
			personalisation: { body: sms.text }
		}),
		signal: AbortSignal.timeout(10_000)
	});
	if (!response.ok) throw new Error(`Notify answered ${response.status}`);
}
