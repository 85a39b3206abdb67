import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { locales } from '$lib/i18n/locales';
import { errorPage, errorPagePath, languages } from '../scripts/error-page.js';

// SvelteKit's last-resort page (src/error.html) is static: it cannot ask the translations for its
// words, so a script writes them into it. These checks fail when the two drift apart.
describe('the last-resort error page', () => {
	const page = readFileSync(errorPagePath, 'utf8');

	it('is the page the script writes from today’s translations', () => {
		expect(page).toBe(errorPage());
	});

	it('offers the quick exit first, in every language the site speaks, before any other text', () => {
		expect(languages).toEqual(locales.map((locale) => locale.code));
		const body = page.slice(page.indexOf('<body>'));
		const firstText = body.indexOf('<main>');
		for (const { code, dir } of locales) {
			const link = `<a href="/quick-exit" lang="${code}" dir="${dir}">`;
			expect(body.indexOf(link), code).toBeGreaterThan(-1);
			expect(body.indexOf(link), code).toBeLessThan(firstText);
		}
	});

	it('never shows the error’s own message, only the apology and the way to 999', () => {
		expect(page).not.toContain('%sveltekit.error.message%');
		expect(page.match(/999/g)?.length).toBe(locales.length);
	});
});
