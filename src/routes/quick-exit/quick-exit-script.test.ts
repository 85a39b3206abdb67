import { readFileSync } from 'node:fs';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

// static/quick-exit.js runs on every page, on whatever phone a person has. One construct an old
// browser cannot parse (an arrow, `catch {}` without a binding) and the whole script is lost:
// no instant hide, no Shift shortcut, no beacon that ends the session.
describe('the quick-exit script', () => {
	it('parses as ES5, so old browsers run it', () => {
		const source = readFileSync('static/quick-exit.js', 'utf8');
		const problems = new Linter().verify(source, [
			{ languageOptions: { ecmaVersion: 5, sourceType: 'script' } }
		]);
		expect(problems.filter((problem) => problem.fatal).map((problem) => problem.message)).toEqual(
			[]
		);
	});
});
