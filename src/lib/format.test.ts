import { describe, expect, it } from 'vitest';
import { formatWhen } from './format';

describe('formatWhen', () => {
	it('writes English dates the way London does, in London time', () => {
		// 13:30 UTC in June is 14:30 in London (British Summer Time).
		const at = new Date(Date.UTC(2027, 5, 18, 13, 30));
		expect(formatWhen('en', at, 'full')).toBe('Friday, 18 June 2027 at 14:30');
		expect(formatWhen('pl', at, 'date')).toBe('18 cze 2027');
	});
});
