import { env } from '$env/dynamic/private';

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
	DUTY_EMAIL: '',
	OUTBOX_INTERVAL_MS: '5000'
} as const;

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

	return {
		port,
		origin,
		databasePath: read(source, 'DATABASE_PATH'),
		serviceName,
		serviceShortName: shortName,
		quickExitUrl: httpUrl('QUICK_EXIT_URL', read(source, 'QUICK_EXIT_URL')),
		demoData: ['true', '1', 'yes'].includes(demoText),
		production: source.NODE_ENV === 'production',
		firstContactDays,
		dutyEmail: dutyEmail || null,
		outboxIntervalMs
	};
}

let current: Config | undefined;

/** The running server's configuration. */
export function config(): Config {
	return (current ??= loadConfig(env));
}
