import { describe, expect, it } from 'vitest';
import { westernDigits } from './digits';
import { checkCharacter, parseReference } from './referral/reference';

describe('digits typed on another script’s keyboard', () => {
	it('read as 0–9 in every script London’s languages type', () => {
		const typed = {
			Arabic: '٠١٢٣٤٥٦٧٨٩',
			Urdu: '۰۱۲۳۴۵۶۷۸۹',
			Hindi: '०१२३४५६७८९',
			Bengali: '০১২৩৪৫৬৭৮৯',
			Panjabi: '੦੧੨੩੪੫੬੭੮੯',
			Gujarati: '૦૧૨૩૪૫૬૭૮૯',
			Tamil: '௦௧௨௩௪௫௬௭௮௯'
		};
		for (const [script, digits] of Object.entries(typed)) {
			expect(westernDigits(digits), script).toBe('0123456789');
		}
		expect(westernDigits('07700 900 982, flat 3B')).toBe('07700 900 982, flat 3B');
	});

	it('let a person sign in with a reference typed with Arabic or Bengali digits', () => {
		const body = 'AC34679';
		const reference = `${body.slice(0, 4)}-${body.slice(4)}${checkCharacter(body)}`;
		expect(parseReference('ac٣٤-٦٧٩' + checkCharacter(body).toLowerCase())).toBe(reference);
		expect(parseReference('AC৩৪ ৬৭৯' + checkCharacter(body))).toBe(reference);
		// A digit that is not one of the reference's own (0, 1, 2, 5, 8) is still refused.
		expect(parseReference('AC٣٤-٦٧٠' + checkCharacter(body))).toBeUndefined();
	});
});
