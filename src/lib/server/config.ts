import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { env } from '$env/dynamic/private';
import { ledgerPath } from './lifecycle/erasure-ledger.js';

/** The portal's settings, read once from the environment (see the README's table). */
export interface Config {
	port: number;
	origin: URL;
	databasePath: string;
	serviceName: string;
	/** The name under the icon on a home screen (12 characters or fewer). */
	serviceShortName: string;
	quickExitUrl: URL;
	demoData: boolean;
	production: boolean;
	/** First-contact targets in working days: urgent (priority 3), high (2) and standard (1). */
	firstContactDays: { urgent: number; high: number; standard: number };
	/** Where an urgent referral's alert goes at once: the on-duty supervisor's address, if set. */
	dutyEmail: string | null;
	/** How often the outbox worker sends due notifications, in milliseconds. */
	outboxIntervalMs: number;
	/** Who answers for people's data, named on the privacy page (UK GDPR Articles 13 and 37). */
	privacy: { controllerName: string; controllerContact: string; dpoContact: string };
	/** The address the server listens on. */
	host: string;
	/** Where the committed SQL migrations are read from. */
	migrationsDir: string;
	/** Email: the SMTP server (null only outside production: mail is held, never logged). */
	mail: MailConfig;
	/** GOV.UK Notify for texts; null when no texts are sent. */
	notify: NotifyConfig | null;
	/**
	 * Behind a proxy: the header holding the client's address, and for X-Forwarded-For which
	 * entry from the right is the proxy's own. adapter-node's getClientAddress() reads these same
	 * variables; they are checked here so a mistake stops start-up instead of failing sign-ins.
	 */
	addressHeader: string | null;
	xffDepth: number;
	/**
	 * Whether search engines may list the public information pages (home, court guide, safety,
	 * help, privacy, accessibility). Off: every page says noindex and there is no sitemap.
	 */
	indexing: boolean;
	/** Whether the pseudo-language (`en-XA`) is served, for finding untranslated text; never in production. */
	pseudoLocale: boolean;
	/** Scheduled backups by the server itself; null when BACKUP_DIR is unset. */
	backup: BackupConfig | null;
	/**
	 * The erasure ledger (lifecycle/erasure-ledger.js): ERASURE_LEDGER, or `erasures.ledger` in
	 * BACKUP_DIR, or `<DATABASE_PATH>.erasures`.
	 */
	erasureLedger: string;
	/** The data lifecycle (lifecycle/sweep.ts): how long things are kept, and how often to sweep. */
	retention: RetentionConfig;
}

/** How long the service keeps what it holds, in days, and how often the sweeper runs. */
export interface RetentionConfig {
	/** A closed case is anonymised this many days after it closed (unless on legal hold). */
	closedCaseDays: number;
	/** Audit rows are kept this many days. */
	auditDays: number;
	/** Sent and given-up notifications are kept this many days (to answer "was it sent?"). */
	outboxDays: number;
	/** How often the sweeper runs, in minutes. */
	sweepMinutes: number;
}

export interface BackupConfig {
	/** Where `onedoor-<UTC time>.backup` files are written. */
	dir: string;
	/** How often one is taken, in milliseconds. */
	everyMs: number;
	/** How many are kept; older ones are deleted. */
	keep: number;
}

export interface MailConfig {
	smtpUrl: URL | null;
	from: string;
}

export interface NotifyConfig {
	apiKey: string;
	smsTemplateId: string;
	baseUrl: URL;
}

/** A configuration mistake, told in one sentence that says which variable and what to do. */
export class ConfigError extends Error {
	override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export const defaults = {
	PORT: '3000',
	ORIGIN: 'http://localhost:3000',
	DATABASE_PATH: 'data/onedoor.db',
	SERVICE_NAME: 'OneDoor',
	SERVICE_SHORT_NAME: '',
	QUICK_EXIT_URL: 'https://www.bbc.co.uk/weather',
	DEMO_DATA: 'false',
	FIRST_CONTACT_DAYS_URGENT: '1',
	FIRST_CONTACT_DAYS_HIGH: '2',
	FIRST_CONTACT_DAYS: '2',
	OUTBOX_INTERVAL_MS: '5000',
	CONTROLLER_NAME: 'OneDoor (demo)',
	CONTROLLER_CONTACT: 'privacy@onedoor.example',
	DPO_CONTACT: 'dpo@onedoor.example',
	HOST: '0.0.0.0',
	MIGRATIONS_DIR: 'drizzle',
	SMTP_URL: '',
	MAIL_FROM: 'no-reply@localhost',
	NOTIFY_API_KEY: '',
	NOTIFY_SMS_TEMPLATE_ID: '',
	NOTIFY_BASE_URL: 'https://api.notifications.service.gov.uk',
	ADDRESS_HEADER: '',
	XFF_DEPTH: '1',
	DUTY_EMAIL: '',
	INDEXING: 'on',
	PSEUDO_LOCALE: '',
	BACKUP_DIR: '',
	BACKUP_EVERY: '6h',
	BACKUP_KEEP: '14',
	ERASURE_LEDGER: '',
	// Six years after closing (the usual limitation period for claims), counted in days: 6 × 365.25.
	RETENTION_CLOSED_DAYS: '2192',
	AUDIT_RETENTION_DAYS: '2557',
	OUTBOX_KEEP_DAYS: '7',
	SWEEP_INTERVAL_MINUTES: '60'
} as const;

/**
 * What the privacy notice tells people about how long their case is kept once support ends
 * (src/lib/content/<lang>/privacy.md, in every language: "6 years"). A different
 * RETENTION_CLOSED_DAYS would make that a wrong promise, so start-up warns until the notice is
 * changed to match (and this with it).
 */
export const privacyNoticeRetention = { days: 2192, words: '6 years' } as const;

/** Warnings for settings that run but contradict what people are told; empty when none do. */
export function configWarnings(settings: Pick<Config, 'retention'>): string[] {
	const warnings: string[] = [];
	if (settings.retention.closedCaseDays !== privacyNoticeRetention.days) {
		warnings.push(
			`RETENTION_CLOSED_DAYS is ${settings.retention.closedCaseDays} days, but the privacy notice tells people we keep their information for ${privacyNoticeRetention.words} (${privacyNoticeRetention.days} days) after their support ends: change src/lib/content/*/privacy.md in every language, and privacyNoticeRetention in src/lib/server/config.ts, to say what now happens.`
		);
	}
	return warnings;
}

function read(source: Env, name: keyof typeof defaults): string {
	const value = source[name]?.trim();
	return value ? value : defaults[name];
}

function httpUrl(name: string, value: string): URL {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new ConfigError(`${name} must be a full http or https address, but it is "${value}".`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new ConfigError(`${name} must start with http:// or https://, but it is "${value}".`);
	}
	return url;
}

/** Reads and checks the configuration; throws a ConfigError naming the first bad variable. */
export function loadConfig(source: Env): Config {
	const portText = read(source, 'PORT');
	const port = Number(portText);
	if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
		throw new ConfigError(`PORT must be a whole number from 1 to 65535, but it is "${portText}".`);
	}

	const origin = httpUrl('ORIGIN', read(source, 'ORIGIN'));
	if (origin.pathname !== '/' || origin.search || origin.hash) {
		throw new ConfigError(
			`ORIGIN must be only the scheme, host and port (like https://onedoor.example), without a path.`
		);
	}

	const serviceName = read(source, 'SERVICE_NAME');
	if (serviceName.length > 60) {
		throw new ConfigError(`SERVICE_NAME must be 60 characters or fewer.`);
	}

	const shortName = read(source, 'SERVICE_SHORT_NAME') || serviceName.slice(0, 12);
	if (shortName.length > 12) {
		throw new ConfigError(`SERVICE_SHORT_NAME must be 12 characters or fewer.`);
	}

	const demoText = read(source, 'DEMO_DATA').toLowerCase();
	if (!['true', 'false', '1', '0', 'yes', 'no'].includes(demoText)) {
		throw new ConfigError(`DEMO_DATA must be "true" or "false", but it is "${demoText}".`);
	}

	const days = (
		name: 'FIRST_CONTACT_DAYS_URGENT' | 'FIRST_CONTACT_DAYS_HIGH' | 'FIRST_CONTACT_DAYS'
	) => {
		const text = read(source, name);
		if (!/^\d{1,2}$/.test(text) || Number(text) < 1) {
			throw new ConfigError(
				`${name} must be a whole number of working days from 1 to 99, but it is "${text}".`
			);
		}
		return Number(text);
	};
	const firstContactDays = {
		urgent: days('FIRST_CONTACT_DAYS_URGENT'),
		high: days('FIRST_CONTACT_DAYS_HIGH'),
		standard: days('FIRST_CONTACT_DAYS')
	};

	const dutyEmail = read(source, 'DUTY_EMAIL');
	if (dutyEmail && !/^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$/.test(dutyEmail)) {
		throw new ConfigError(`DUTY_EMAIL must be one email address, like duty@onedoor.example.`);
	}

	const intervalText = read(source, 'OUTBOX_INTERVAL_MS');
	const outboxIntervalMs = Number(intervalText);
	if (!/^\d+$/.test(intervalText) || outboxIntervalMs < 100 || outboxIntervalMs > 3_600_000) {
		throw new ConfigError(
			`OUTBOX_INTERVAL_MS must be a number of milliseconds from 100 to 3600000, but it is "${intervalText}".`
		);
	}

	const production = source.NODE_ENV === 'production';
	const demoData = ['true', '1', 'yes'].includes(demoText);
	if (production && demoData) {
		throw new ConfigError(
			`DEMO_DATA must not be true in production, where demo staff with a published password would be real accounts (a test server runs with NODE_ENV=test).`
		);
	}

	const host = read(source, 'HOST');
	if (!/^[A-Za-z0-9.:_-]+$/.test(host)) {
		throw new ConfigError(`HOST must be a host name or IP address, but it is "${host}".`);
	}

	const migrationsDir = read(source, 'MIGRATIONS_DIR');
	if (!existsSync(join(migrationsDir, 'meta', '_journal.json'))) {
		throw new ConfigError(
			`MIGRATIONS_DIR must be the folder of committed SQL migrations (with meta/_journal.json), but "${migrationsDir}" is not.`
		);
	}

	const addressHeader = read(source, 'ADDRESS_HEADER').toLowerCase();
	if (addressHeader && !/^[a-z0-9-]{1,64}$/.test(addressHeader)) {
		throw new ConfigError(
			`ADDRESS_HEADER must be the name of one header (like X-Forwarded-For), but it is "${addressHeader}".`
		);
	}
	const depthText = read(source, 'XFF_DEPTH');
	if (!/^\d{1,2}$/.test(depthText) || Number(depthText) < 1) {
		throw new ConfigError(
			`XFF_DEPTH must be a whole number of trusted proxies from 1 to 99, but it is "${depthText}".`
		);
	}
	if (source.XFF_DEPTH?.trim() && addressHeader !== 'x-forwarded-for') {
		throw new ConfigError(`XFF_DEPTH only applies when ADDRESS_HEADER is X-Forwarded-For.`);
	}

	const indexingText = read(source, 'INDEXING').toLowerCase();
	if (!['on', 'off'].includes(indexingText)) {
		throw new ConfigError(
			`INDEXING must be "on" (search engines may list the public pages) or "off" (every page asks not to be listed), but it is "${indexingText}".`
		);
	}

	// Unset: on in development and tests, where it finds untranslated text; never in production.
	const pseudoText = read(source, 'PSEUDO_LOCALE').toLowerCase() || (production ? 'off' : 'on');
	if (!['on', 'off'].includes(pseudoText)) {
		throw new ConfigError(`PSEUDO_LOCALE must be "on" or "off", but it is "${pseudoText}".`);
	}
	if (production && pseudoText === 'on') {
		throw new ConfigError(
			`PSEUDO_LOCALE must not be on in production: its made-up language is for finding untranslated text, never for people.`
		);
	}

	return {
		port,
		origin,
		databasePath: read(source, 'DATABASE_PATH'),
		serviceName,
		serviceShortName: shortName,
		quickExitUrl: httpUrl('QUICK_EXIT_URL', read(source, 'QUICK_EXIT_URL')),
		demoData,
		production,
		firstContactDays,
		outboxIntervalMs,
		privacy: {
			controllerName: read(source, 'CONTROLLER_NAME'),
			controllerContact: read(source, 'CONTROLLER_CONTACT'),
			dpoContact: read(source, 'DPO_CONTACT')
		},
		host,
		migrationsDir,
		mail: readMail(source, production),
		notify: readNotify(source),
		addressHeader: addressHeader || null,
		xffDepth: Number(depthText),
		dutyEmail: dutyEmail || null,
		indexing: indexingText === 'on',
		pseudoLocale: pseudoText === 'on',
		backup: readBackup(source),
		erasureLedger: ledgerPath({
			ERASURE_LEDGER: read(source, 'ERASURE_LEDGER'),
			BACKUP_DIR: read(source, 'BACKUP_DIR'),
			DATABASE_PATH: read(source, 'DATABASE_PATH')
		}),
		retention: readRetention(source)
	};
}

/**
 * RETENTION_CLOSED_DAYS, AUDIT_RETENTION_DAYS, OUTBOX_KEEP_DAYS and SWEEP_INTERVAL_MINUTES.
 * Anonymising cannot be undone, so the case and audit periods have a floor of a year: "6"
 * meant as years would otherwise empty every case closed last week.
 */
function readRetention(source: Env): RetentionConfig {
	const whole = (
		name:
			| 'RETENTION_CLOSED_DAYS'
			| 'AUDIT_RETENTION_DAYS'
			| 'OUTBOX_KEEP_DAYS'
			| 'SWEEP_INTERVAL_MINUTES',
		min: number,
		max: number,
		unit: string,
		hint = ''
	) => {
		const text = read(source, name);
		const value = Number(text);
		if (!/^\d{1,6}$/.test(text) || value < min || value > max) {
			throw new ConfigError(
				`${name} must be a whole number of ${unit} from ${min} to ${max}${hint}, but it is "${text}".`
			);
		}
		return value;
	};
	const years = ' (in days: 6 years is 2192)';
	return {
		closedCaseDays: whole('RETENTION_CLOSED_DAYS', 365, 36_500, 'days', years),
		auditDays: whole('AUDIT_RETENTION_DAYS', 365, 36_500, 'days', years),
		outboxDays: whole('OUTBOX_KEEP_DAYS', 1, 365, 'days'),
		sweepMinutes: whole('SWEEP_INTERVAL_MINUTES', 1, 1440, 'minutes')
	};
}

const units = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** BACKUP_DIR, BACKUP_EVERY and BACKUP_KEEP: the server's own scheduled backups. */
function readBackup(source: Env): BackupConfig | null {
	const dir = read(source, 'BACKUP_DIR');
	if (!dir) {
		for (const name of ['BACKUP_EVERY', 'BACKUP_KEEP'] as const) {
			if (source[name]?.trim()) {
				throw new ConfigError(`${name} only applies when BACKUP_DIR is set.`);
			}
		}
		return null;
	}
	const everyText = read(source, 'BACKUP_EVERY');
	const every = /^(\d{1,5})(m|h|d)$/.exec(everyText);
	const everyMs = every ? Number(every[1]) * units[every[2] as keyof typeof units] : 0;
	if (everyMs < units.m * 5 || everyMs > units.d * 31) {
		throw new ConfigError(
			`BACKUP_EVERY must be minutes, hours or days like 30m, 6h or 1d (from 5m to 31d), but it is "${everyText}".`
		);
	}
	const keepText = read(source, 'BACKUP_KEEP');
	if (!/^\d{1,4}$/.test(keepText) || Number(keepText) < 1) {
		throw new ConfigError(
			`BACKUP_KEEP must be how many backups to keep, a whole number from 1 to 9999, but it is "${keepText}".`
		);
	}
	return { dir, everyMs, keep: Number(keepText) };
}

/** SMTP_URL and MAIL_FROM. In production mail must go somewhere: it is never written to a log. */
function readMail(source: Env, production: boolean): MailConfig {
	const text = read(source, 'SMTP_URL');
	if (!text && production) {
		throw new ConfigError(
			`SMTP_URL is not set: in production the server needs it to send sign-in links and notifications by email.`
		);
	}
	let smtpUrl: URL | null = null;
	if (text) {
		// The value is never repeated: it usually holds the SMTP password.
		const bad = `SMTP_URL must look like smtp://user:password@host:587 (or smtps://), but it does not.`;
		try {
			smtpUrl = new URL(text);
		} catch {
			throw new ConfigError(bad);
		}
		if (!['smtp:', 'smtps:'].includes(smtpUrl.protocol) || !smtpUrl.hostname) {
			throw new ConfigError(bad);
		}
	}
	const from = read(source, 'MAIL_FROM');
	if (!/^([^<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(from)) {
		throw new ConfigError(
			`MAIL_FROM must be an email address like no-reply@example.org or "Name <no-reply@example.org>", but it is "${from}".`
		);
	}
	return { smtpUrl, from };
}

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** NOTIFY_API_KEY, NOTIFY_SMS_TEMPLATE_ID and NOTIFY_BASE_URL: texts are sent only with both. */
function readNotify(source: Env): NotifyConfig | null {
	const apiKey = read(source, 'NOTIFY_API_KEY');
	const smsTemplateId = read(source, 'NOTIFY_SMS_TEMPLATE_ID');
	const baseUrl = httpUrl('NOTIFY_BASE_URL', read(source, 'NOTIFY_BASE_URL'));
	if (!apiKey && !smsTemplateId) return null;
	if (!apiKey || !smsTemplateId) {
		throw new ConfigError(
			`NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID must be set together, or neither (then no texts are sent).`
		);
	}
	// The key is a secret, so it is never repeated.
	if (!new RegExp(`^.+-${uuid}-${uuid}$`, 'i').test(apiKey)) {
		throw new ConfigError(
			`NOTIFY_API_KEY must be the whole API key GOV.UK Notify issued (its name, then two ids), but it is not.`
		);
	}
	if (!new RegExp(`^${uuid}$`, 'i').test(smsTemplateId)) {
		throw new ConfigError(
			`NOTIFY_SMS_TEMPLATE_ID must be the template's id from GOV.UK Notify (like 8f2c1e0a-…), but it is "${smsTemplateId}".`
		);
	}
	return { apiKey, smsTemplateId, baseUrl };
}

let current: Config | undefined;

/** The running server's configuration. */
export function config(): Config {
	return (current ??= loadConfig(env));
}
