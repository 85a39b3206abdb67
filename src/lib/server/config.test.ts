import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

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
		[{ FIRST_CONTACT_DAYS_URGENT: 'soon' }, /FIRST_CONTACT_DAYS_URGENT must be a whole/]
	])('refuses %o with one clear sentence', (env, message) => {
		expect(() => loadConfig(env)).toThrowError(ConfigError);
		expect(() => loadConfig(env)).toThrowError(message);
	});
});
