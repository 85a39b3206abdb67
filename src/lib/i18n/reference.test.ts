import { describe, expect, it } from 'vitest';
import { londonCourts } from '$lib/server/court/london-courts';
import { messagesFor } from '$lib/server/i18n';
import { partnerAgencies } from '$lib/server/partners/agencies';
import { locales } from './locales';
import { referenceNote } from './reference';

/** The `my` messages a portal page gets in a language, as the shell sends them. */
const mine = (lang: (typeof locales)[number]['code']) => messagesFor(lang, ['my']);

describe('reference data a person reads', () => {
	it('shows a built-in agency and every court in the page language', () => {
		const shelter = referenceNote(mine('pl'), 'my.agencies', 'shelter', 'Shelter gives…', 'pl');
		expect(shelter).toEqual({ text: expect.stringMatching(/mieszkani/), lang: undefined });
		for (const { code } of locales) {
			for (const court of londonCourts) {
				const note = referenceNote(mine(code), 'my.courtTravel', court.id, court.travel, code);
				expect(note.lang, `${code} ${court.id}`).toBeUndefined();
			}
			for (const agency of partnerAgencies) {
				const note = referenceNote(mine(code), 'my.agencies', agency.id, agency.does, code);
				expect(note.lang, `${code} ${agency.id}`).toBeUndefined();
			}
		}
		const bailey = referenceNote(mine('ar'), 'my.courtTravel', 'central-criminal-court', '', 'ar');
		expect(bailey.text).toContain('Old Bailey');
		expect(bailey.text).not.toContain('Known as');
	});

	it('shows an agency an admin added, with no translation, in English marked as English', () => {
		const does = 'Helps people in Hackney with debts.';
		expect(referenceNote(mine('ar'), 'my.agencies', 'hackney-debt', does, 'ar')).toEqual({
			text: does,
			lang: 'en'
		});
		// On an English page it is simply the page's language.
		expect(referenceNote(mine('en'), 'my.agencies', 'hackney-debt', does, 'en')).toEqual({
			text: does,
			lang: undefined
		});
	});
});
