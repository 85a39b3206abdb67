import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fleschKincaidGrade, syllables } from '../../../scripts/readability.js';
import { courtPages } from './pages';

// The court guide is written for a reading age of 9 to 11: Flesch–Kincaid grade 6 or lower.
const agreedGrade = 6;

describe('the English court guide', () => {
	it.each(courtPages)('court-%s.md reads at grade 6 or lower', (page) => {
		const text = readFileSync(`src/lib/content/en/court-${page}.md`, 'utf8');
		expect(fleschKincaidGrade(text)).toBeLessThanOrEqual(agreedGrade);
	});

	it('is measured by a formula that can fail', () => {
		const legal =
			'The prosecution must demonstrate, notwithstanding considerable evidential difficulties, that the defendant intentionally committed the alleged offence.';
		expect(fleschKincaidGrade(legal)).toBeGreaterThan(agreedGrade);
		expect(
			fleschKincaidGrade('You can ask for a break. Tell the usher. They will help you.')
		).toBeLessThan(3);
		expect([syllables('court'), syllables('evidence'), syllables('intermediary')]).toEqual([
			1, 3, 5
		]);
	});
});
