import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { locales } from '$lib/i18n/locales';
import { ConfigError, configWarnings, loadConfig, privacyNoticeRetention } from './config';

const notifyKey =
	'onedoor-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0';
const templateId = 'f33517ff-2a88-4f6e-b855-c550268ce08a';
const production = { NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example.org:587' };

describe('loadConfig', () => {
	it('uses the documented defaults when nothing is set', () => {
		const config = loadConfig({});
		expect(config.port).toBe(3000);
		expect(config.origin.href).toBe('http://localhost:3000/');
		expect(config.databasePath).toBe('data/onedoor.db');
		expect(config.serviceName).toBe('OneDoor');
		expect(config.quickExitUrl.hostname).toBe('www.bbc.co.uk');
		expect(config.demoData).toBe(false);
		expect(config.firstContactDays).toEqual({ urgent: 1, high: 2, standard: 2 });
		expect(config.dutyEmail).toBeNull();
		// A public support service wants to be found; an unlisted one says INDEXING=off.
		expect(config.indexing).toBe(true);
		expect(config.pseudoLocale).toBe(true);
	});

	it('turns listing off, and never serves the pseudo-language in production', () => {
		expect(loadConfig({ INDEXING: 'OFF' }).indexing).toBe(false);
		expect(loadConfig(production).pseudoLocale).toBe(false);
		expect(() => loadConfig({ ...production, PSEUDO_LOCALE: 'on' })).toThrowError(
			/^PSEUDO_LOCALE must not be on in production/
		);
	});

	it('reads every variable it documents', () => {
		const config = loadConfig({
			PORT: '8080',
			ORIGIN: 'https://help.example.org',
			DATABASE_PATH: '/var/lib/onedoor/db.sqlite',
			SERVICE_NAME: 'Weather Notes',
			QUICK_EXIT_URL: 'https://www.google.com/search?q=weather',
			DEMO_DATA: 'true',
			FIRST_CONTACT_DAYS_URGENT: '2',
			FIRST_CONTACT_DAYS_HIGH: '3',
			FIRST_CONTACT_DAYS: '5',
			DUTY_EMAIL: 'duty@help.example.org'
		});
		expect(config.port).toBe(8080);
		expect(config.origin.protocol).toBe('https:');
		expect(config.databasePath).toBe('/var/lib/onedoor/db.sqlite');
		expect(config.serviceName).toBe('Weather Notes');
		expect(config.quickExitUrl.search).toBe('?q=weather');
		expect(config.demoData).toBe(true);
		expect(config.firstContactDays).toEqual({ urgent: 2, high: 3, standard: 5 });
		expect(config.dutyEmail).toBe('duty@help.example.org');
	});

	it.each([
		[{ PORT: 'eighty' }, /PORT must be a whole number/],
		[{ PORT: '70000' }, /PORT must be a whole number/],
		[{ ORIGIN: 'localhost:3000' }, /ORIGIN must start with http/],
		[{ ORIGIN: 'not a url' }, /ORIGIN must be a full http or https address/],
		[{ ORIGIN: 'https://example.org/portal' }, /ORIGIN must be only the scheme/],
		[{ QUICK_EXIT_URL: 'javascript:alert(1)' }, /QUICK_EXIT_URL must start with http/],
		[{ DEMO_DATA: 'perhaps' }, /DEMO_DATA must be "true" or "false"/],
		[{ SERVICE_NAME: 'x'.repeat(61) }, /SERVICE_NAME must be 60 characters/],
		[{ FIRST_CONTACT_DAYS: '0' }, /FIRST_CONTACT_DAYS must be a whole number of working days/],
		[{ FIRST_CONTACT_DAYS_HIGH: 'two' }, /FIRST_CONTACT_DAYS_HIGH must be a whole number/],
		[{ DUTY_EMAIL: 'duty desk' }, /DUTY_EMAIL must be one email address/],
		[
			{ INDEXING: 'no' },
			/^INDEXING must be "on" \(search engines may list the public pages\) or "off"/
		],
		[{ PSEUDO_LOCALE: 'yes' }, /^PSEUDO_LOCALE must be "on" or "off"/],
		[{ FIRST_CONTACT_DAYS_URGENT: 'soon' }, /FIRST_CONTACT_DAYS_URGENT must be a whole/],
		[{ HOST: 'my host' }, /^HOST must be a host name or IP address/],
		[{ MIGRATIONS_DIR: 'no-such-folder' }, /^MIGRATIONS_DIR must be the folder of committed SQL/],
		[{ SMTP_URL: 'http://mail.example.org' }, /^SMTP_URL must look like smtp:\/\//],
		[{ SMTP_URL: 'mail.example.org:587' }, /^SMTP_URL must look like smtp:\/\//],
		[{ MAIL_FROM: 'the service' }, /^MAIL_FROM must be an email address/],
		[
			{ NOTIFY_API_KEY: notifyKey },
			/^NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID must be set together/
		],
		[{ NOTIFY_SMS_TEMPLATE_ID: templateId }, /^NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID must be/],
		[
			{ NOTIFY_API_KEY: 'secret', NOTIFY_SMS_TEMPLATE_ID: templateId },
			/^NOTIFY_API_KEY must be the whole API key GOV.UK Notify issued/
		],
		[
			{ NOTIFY_API_KEY: notifyKey, NOTIFY_SMS_TEMPLATE_ID: 'texts' },
			/^NOTIFY_SMS_TEMPLATE_ID must be the template's id/
		],
		[{ NOTIFY_BASE_URL: 'notify' }, /^NOTIFY_BASE_URL must be a full http or https address/],
		[{ BACKUP_EVERY: '6h' }, /^BACKUP_EVERY only applies when BACKUP_DIR is set/],
		[{ BACKUP_KEEP: '7' }, /^BACKUP_KEEP only applies when BACKUP_DIR is set/],
		[{ BACKUP_DIR: 'b', BACKUP_EVERY: '6 hours' }, /^BACKUP_EVERY must be minutes, hours/],
		[{ BACKUP_DIR: 'b', BACKUP_EVERY: '1m' }, /^BACKUP_EVERY must be .* \(from 5m to 31d\)/],
		[{ BACKUP_DIR: 'b', BACKUP_KEEP: '0' }, /^BACKUP_KEEP must be how many backups to keep/],
		[{ BACKUP_DIR: 'b', BACKUP_KEEP: 'all' }, /^BACKUP_KEEP must be how many backups to keep/]
	])('refuses %o with one clear sentence', (env, message) => {
		expect(() => loadConfig(env)).toThrowError(ConfigError);
		expect(() => loadConfig(env)).toThrowError(message);
	});

	it('reads the mail and Notify settings', () => {
		const config = loadConfig({
			SMTP_URL: 'smtps://onedoor:pa55@mail.example.org:465',
			MAIL_FROM: 'Weather Notes <no-reply@example.org>',
			NOTIFY_API_KEY: notifyKey,
			NOTIFY_SMS_TEMPLATE_ID: templateId
		});
		expect(config.mail.smtpUrl?.hostname).toBe('mail.example.org');
		expect(config.mail.from).toBe('Weather Notes <no-reply@example.org>');
		expect(config.notify).toMatchObject({ apiKey: notifyKey, smsTemplateId: templateId });
		expect(loadConfig({}).notify).toBeNull();
		expect(loadConfig({}).mail.smtpUrl).toBeNull();
	});

	it('never repeats a secret in its sentence', () => {
		for (const SMTP_URL of ['smtp//onedoor:pa55@mail', 'http://onedoor:pa55@mail']) {
			const refusal = (() => {
				try {
					loadConfig({ SMTP_URL });
				} catch (error) {
					return (error as Error).message;
				}
			})();
			expect(refusal).toMatch(/^SMTP_URL must look like/);
			expect(refusal).not.toContain('pa55');
		}
	});

	it('in production, refuses demo accounts with one clear sentence', () => {
		expect(() => loadConfig({ ...production, DEMO_DATA: 'true' })).toThrowError(
			'DEMO_DATA must not be true in production, where demo staff with a published password would be real accounts (a test server runs with NODE_ENV=test).'
		);
		// A test server (the browser suite) may have them.
		expect(loadConfig({ NODE_ENV: 'test', DEMO_DATA: 'true' }).demoData).toBe(true);
		expect(loadConfig(production).production).toBe(true);
	});

	it('takes no backups by itself unless BACKUP_DIR is set, then every 6 hours keeping 14', () => {
		expect(loadConfig({}).backup).toBeNull();
		expect(loadConfig({ BACKUP_DIR: '/var/backups/onedoor' }).backup).toEqual({
			dir: '/var/backups/onedoor',
			everyMs: 6 * 3_600_000,
			keep: 14
		});
		expect(
			loadConfig({ BACKUP_DIR: 'b', BACKUP_EVERY: '30m', BACKUP_KEEP: '48' }).backup
		).toMatchObject({ everyMs: 30 * 60_000, keep: 48 });
		expect(loadConfig({ BACKUP_DIR: 'b', BACKUP_EVERY: '1d' }).backup?.everyMs).toBe(86_400_000);
	});

	it('in production, refuses to start without a way to send email', () => {
		expect(() => loadConfig({ NODE_ENV: 'production' })).toThrowError(
			'SMTP_URL is not set: in production the server needs it to send sign-in links and notifications by email.'
		);
	});
});

describe('the privacy page settings', () => {
	it('name the controller and data protection officer from the environment, with demo placeholders', () => {
		expect(loadConfig({}).privacy).toEqual({
			controllerName: 'OneDoor (demo)',
			controllerContact: 'privacy@onedoor.example',
			dpoContact: 'dpo@onedoor.example'
		});
		const privacy = loadConfig({
			CONTROLLER_NAME: 'Camden Victim Care CIC',
			CONTROLLER_CONTACT: '1 High Street, London NW1 1AA',
			DPO_CONTACT: 'dpo@camden-care.example'
		}).privacy;
		expect(privacy).toEqual({
			controllerName: 'Camden Victim Care CIC',
			controllerContact: '1 High Street, London NW1 1AA',
			dpoContact: 'dpo@camden-care.example'
		});
	});
});

describe('the client address behind a proxy', () => {
	it('reads ADDRESS_HEADER and XFF_DEPTH, as adapter-node does for getClientAddress()', () => {
		expect(loadConfig({})).toMatchObject({ addressHeader: null, xffDepth: 1 });
		expect(loadConfig({ ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: '2' })).toMatchObject({
			addressHeader: 'x-forwarded-for',
			xffDepth: 2
		});
		expect(loadConfig({ ADDRESS_HEADER: 'True-Client-IP' }).addressHeader).toBe('true-client-ip');
	});

	it.each([
		[{ ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: '0' }, /XFF_DEPTH must be a whole number/],
		[{ ADDRESS_HEADER: 'X Forwarded For' }, /ADDRESS_HEADER must be the name of one header/],
		[{ XFF_DEPTH: '2' }, /XFF_DEPTH only applies when ADDRESS_HEADER is X-Forwarded-For/]
	])('refuses %o with one clear sentence', (env, message) => {
		expect(() => loadConfig(env)).toThrowError(ConfigError);
		expect(() => loadConfig(env)).toThrowError(message);
	});
});

describe('how long data is kept', () => {
	it('keeps closed cases six years and audit rows seven by default, and reads each setting', () => {
		expect(loadConfig({}).retention).toEqual({
			closedCaseDays: 2192,
			auditDays: 2557,
			outboxDays: 7,
			sweepMinutes: 60
		});
		expect(
			loadConfig({
				RETENTION_CLOSED_DAYS: '1096',
				AUDIT_RETENTION_DAYS: '3653',
				OUTBOX_KEEP_DAYS: '30',
				SWEEP_INTERVAL_MINUTES: '15'
			}).retention
		).toEqual({ closedCaseDays: 1096, auditDays: 3653, outboxDays: 30, sweepMinutes: 15 });
	});

	it('warns at start-up when closed cases are kept longer or shorter than the privacy notice says', () => {
		// The default is what the notice promises.
		expect(loadConfig({}).retention.closedCaseDays).toBe(privacyNoticeRetention.days);
		expect(configWarnings(loadConfig({}))).toEqual([]);
		const [warning, ...more] = configWarnings(loadConfig({ RETENTION_CLOSED_DAYS: '1096' }));
		expect(more).toEqual([]);
		expect(warning).toMatch(/RETENTION_CLOSED_DAYS is 1096 days, but the privacy notice .*6 years/);
		expect(warning).toContain('privacy.md');
	});

	it('is the period every language’s privacy notice states', () => {
		// Each notice writes the number of years in digits ("6 lat", "6 سنوات", "6 বছর").
		const years = privacyNoticeRetention.words.split(' ')[0]!;
		expect(readFileSync('src/lib/content/en/privacy.md', 'utf8')).toContain(
			`for ${privacyNoticeRetention.words} after your support ends`
		);
		for (const { code } of locales) {
			const notice = readFileSync(`src/lib/content/${code}/privacy.md`, 'utf8');
			expect(notice, code).toMatch(new RegExp(`(^|\\D)${years}(\\D|$)`));
		}
	});

	it.each([
		// Meant as years, this would anonymise every case closed a week ago: refused.
		[
			{ RETENTION_CLOSED_DAYS: '6' },
			/RETENTION_CLOSED_DAYS must be a whole number of days from 365 .*6 years is 2192/
		],
		[{ RETENTION_CLOSED_DAYS: '6y' }, /RETENTION_CLOSED_DAYS must be a whole number of days/],
		[{ AUDIT_RETENTION_DAYS: '-1' }, /AUDIT_RETENTION_DAYS must be a whole number of days/],
		[{ OUTBOX_KEEP_DAYS: '0' }, /OUTBOX_KEEP_DAYS must be a whole number of days from 1 to 365/],
		[{ SWEEP_INTERVAL_MINUTES: '1h' }, /SWEEP_INTERVAL_MINUTES must be a whole number of minutes/]
	])('refuses %o with one clear sentence', (env, message) => {
		expect(() => loadConfig(env)).toThrowError(ConfigError);
		expect(() => loadConfig(env)).toThrowError(message);
	});
});
