import { describe, expect, expectTypeOf, it } from 'vitest';
import { sentFrom } from './form-state';

type Answer =
	| { form: 'addNote'; errors: { note?: string; form?: string }; values: { note?: string } }
	| { form: 'assign'; errors: { caseworker?: string; form?: string }; values: object }
	| null;

describe('sentFrom', () => {
	it("gives a form its own answer and nothing of another form's", () => {
		// As a page holds it: any of the page's answers, not known in advance.
		const answered = (answer: Answer) => answer;
		const answer = answered({ form: 'addNote', errors: { note: 'staff.errors.note' }, values: {} });
		const note = sentFrom(answer, 'addNote');
		expect(note?.errors.note).toBe('staff.errors.note');
		expectTypeOf(note?.errors).toEqualTypeOf<{ note?: string; form?: string } | undefined>();
		expect(sentFrom(answer, 'assign')).toBeUndefined();
		expect(sentFrom(answered(null), 'assign')).toBeUndefined();
	});
});
