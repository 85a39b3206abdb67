import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newReference, parseReference, referenceAlphabet } from './reference';

describe('case references', () => {
	it('look like XXXX-XXXX and use no look-alike characters', () => {
		for (let i = 0; i < 200; i++) {
			const reference = newReference();
			expect(reference).toMatch(/^[ACDEFGHJKMNPQRTUWXY34679]{4}-[ACDEFGHJKMNPQRTUWXY34679]{4}$/);
			expect(parseReference(reference)).toBe(reference);
		}
		for (const confusable of '0O1IL2Z5S8BV') expect(referenceAlphabet).not.toContain(confusable);
	});

	it('accept the way people type them: lower case, spaces, no dash', () => {
		const reference = newReference();
		const typed = ` ${reference.toLowerCase().replace('-', ' ')} `;
		expect(parseReference(typed)).toBe(reference);
	});

	it('catch every single-character typo', () => {
		for (let n = 0; n < 25; n++) {
			const compact = newReference().replace('-', '');
			for (let position = 0; position < compact.length; position++) {
				for (const wrong of referenceAlphabet) {
					if (wrong === compact[position]) continue;
					const typo = compact.slice(0, position) + wrong + compact.slice(position + 1);
					expect(parseReference(typo), `${compact} → ${typo}`).toBeUndefined();
				}
			}
		}
	});

	it('refuse anything else without throwing', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 40 }), (typed) => {
				const parsed = parseReference(typed);
				return parsed === undefined || /^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(parsed);
			})
		);
	});
});
