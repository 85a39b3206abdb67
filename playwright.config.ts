import { defineConfig, devices } from '@playwright/test';

// The built server on a port of its own, with a fresh SQLite file; a stand-in "neutral site" on
// another origin plays the quick exit's weather page, since tests reach no outside network.
// E2E_PORT moves all four ports (the fourth: a test OpenID Connect provider), so two checkouts
// can run their suites side by side.
export const port = Number(process.env.E2E_PORT ?? 4173);
export const neutralPort = port + 1;
export const baseURL = `http://localhost:${port}`;
export const neutralURL = `http://127.0.0.1:${neutralPort}/`;
export const smtpPort = port + 2;
/** A real OpenID Connect provider (tests/e2e/oidc-provider.js), registered as an organisation. */
export const oidcPort = port + 3;
export const testOrganisation = {
	id: 'e2e-organisation',
	name: 'Test Organisation',
	issuer: `http://127.0.0.1:${oidcPort}`,
	clientId: 'onedoor-e2e',
	clientSecret: 'e2e client secret',
	emailDomains: ['org.onedoor.test']
};
export const databasePath = '.e2e/onedoor.db';

/** The built server's environment; test factories open the same database with the same key. */
export const serverEnv = {
	PORT: String(port),
	ORIGIN: baseURL,
	DATABASE_PATH: databasePath,
	QUICK_EXIT_URL: neutralURL,
	SERVICE_NAME: 'OneDoor',
	DEMO_DATA: 'true',
	NODE_ENV: 'test',
	SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
	MAIL_FROM: 'no-reply@onedoor.test',
	OUTBOX_INTERVAL_MS: '500',
	DATA_KEY: 'e2e:' + Buffer.alloc(32, 7).toString('base64')
};

// Debian's Chromium built as a headless shell (`apt-get install chromium-headless-shell`): the
// same engine as the desktop browser without its windowing layer, and what Playwright itself runs
// headless. On the 2-core machine it runs the suite a third faster than `/usr/bin/chromium`.
const chromium = {
	...devices['Desktop Chrome'],
	launchOptions: {
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium-headless-shell',
		// Chromium's background traffic is refused on a closed network; keep it quiet.
		args: ['--disable-background-networking', '--disable-component-update', '--disable-sync']
	}
};

export default defineConfig({
	testDir: 'tests/e2e',
	tsconfig: './tests/tsconfig.json',
	fullyParallel: true,
	forbidOnly: true,
	retries: 0,
	workers: 2,
	reporter: [['list'], ['./tests/e2e/support/slowest.ts']],
	// A test that needs longer than this is doing two things: split it.
	timeout: 30_000,
	expect: { timeout: 5_000 },
	// The offline app's service worker precaches the public pages in the visitor's language on a
	// first visit; only offline.spec.ts lets it run, so other tests measure the site, not the precache.
	// A step that hangs fails as itself, with its own call log, long before the test's time is up:
	// an action or a page load that takes this long is a fault, never a slow machine.
	use: {
		baseURL,
		trace: 'on-first-retry',
		locale: 'en-GB',
		serviceWorkers: 'block',
		actionTimeout: 20_000,
		navigationTimeout: 30_000
	},
	// Both projects run in one pass against one server, so the two workers stay busy to the end.
	// Every browser here is 127.0.0.1: the deliberate wrong guesses of the whole run (24 on
	// 2026-12-01, then 10 more once refused organisation sign-ins counted too, one more on
	// 2026-12-02, a given password refused after enrolment, four on 2026-12-02 when a password
	// is changed (two per project), one wrong given password at enrolment, and one wrong code that
	// switches a worker's codes off: 41 by reckoning)
	// share that one address's limit of 50 in 15 minutes (rate-limit.ts); a try being checked
	// counts until it proves right, so each worker holds one more for a moment. A test that needs
	// many more locks out the rest of the run: give it a server of its own (startup.spec.ts).
	// SvelteKit runs its own e2e suite both ways; so do we, where behaviour differs without
	// JavaScript: forms, quick exit, messages, sign-in. A title tagged @js needs the script (Shift
	// presses, live updates); @once checks something JavaScript does not change (content pages,
	// HTTP answers, the console's read-only pages), so it runs in the JavaScript project only.
	projects: [
		// Demo staff sign in once before the suite (see staff.setup.ts).
		{ name: 'setup', testMatch: /\.setup\.ts$/, use: chromium },
		{ name: 'js', dependencies: ['setup'], use: { ...chromium, javaScriptEnabled: true } },
		{
			name: 'no-js',
			dependencies: ['setup'],
			grepInvert: /@js|@once/,
			use: { ...chromium, javaScriptEnabled: false }
		}
	],
	webServer: [
		{
			command: 'node tests/e2e/neutral-site.js',
			url: neutralURL,
			env: { PORT: String(neutralPort) },
			reuseExistingServer: false
		},
		{
			command: 'node tests/e2e/mail-server.js',
			port: smtpPort,
			env: { PORT: String(smtpPort) },
			reuseExistingServer: false
		},
		{
			command: 'node tests/e2e/oidc-provider.js',
			url: `${testOrganisation.issuer}/.well-known/openid-configuration`,
			env: {
				PORT: String(oidcPort),
				ISSUER: testOrganisation.issuer,
				CLIENT_ID: testOrganisation.clientId,
				CLIENT_SECRET: testOrganisation.clientSecret,
				REDIRECT_URI: `${baseURL}/sign-in/organisation/callback/${testOrganisation.id}`
			},
			reuseExistingServer: false
		},
		{
			command: 'node tests/e2e/serve.js',
			url: `${baseURL}/`,
			reuseExistingServer: false,
			timeout: 60_000,
			env: serverEnv
		}
	]
});
