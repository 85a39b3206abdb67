import { readdirSync, readFileSync } from 'node:fs';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

// The page scripts (src/lib/page-scripts) run on every page, on whatever phone a person has. One
// construct an old browser cannot parse (an arrow, `catch {}` without a binding) and the whole
// script is lost: for quick-exit.js, no instant hide, no Shift shortcut, no beacon that ends the
// session.
const scripts = readdirSync('src/lib/page-scripts').filter((name) => name.endsWith('.js'));

describe('the page scripts', () => {
	it('are the quick exit, the error summary’s focus, the offline app and the referral form', () => {
		expect(scripts.sort()).toEqual([
			'error-summary.js',
			'offline-app.js',
			'quick-exit.js',
			'referral-form.js'
		]);
	});

	it.each(scripts)('%s parses as ES5, so old browsers run it', (name) => {
		const source = readFileSync(`src/lib/page-scripts/${name}`, 'utf8');
		const problems = new Linter().verify(source, [
			{ languageOptions: { ecmaVersion: 5, sourceType: 'script' } }
		]);
		expect(problems.filter((problem) => problem.fatal).map((problem) => problem.message)).toEqual(
			[]
		);
	});
});
