import { describe, expect, it } from 'vitest';
import { createT } from '$lib/i18n';
import { londonCourts } from '$lib/server/court/london-courts';
import { messagesFor } from '$lib/server/i18n';
import { partnerAgencies } from '$lib/server/partners/agencies';
import { locales } from './locales';
import { referenceNote } from './reference';

const group = (lang: (typeof locales)[number]['code'], key: 'my.agencies' | 'my.courtTravel') =>
	createT(lang, messagesFor(lang, ['my']))(key, { returnObjects: true });

describe('reference data a person reads', () => {
	it('shows a built-in agency and every court in the page language', () => {
		const shelter = referenceNote(group('pl', 'my.agencies'), 'shelter', 'Shelter gives…', 'pl');
		expect(shelter).toEqual({ text: expect.stringMatching(/mieszkani/), lang: undefined });
		for (const { code } of locales) {
			for (const court of londonCourts) {
				const note = referenceNote(group(code, 'my.courtTravel'), court.id, court.travel, code);
				expect(note.lang, `${code} ${court.id}`).toBeUndefined();
			}
			for (const agency of partnerAgencies) {
				const note = referenceNote(group(code, 'my.agencies'), agency.id, agency.does, code);
				expect(note.lang, `${code} ${agency.id}`).toBeUndefined();
			}
		}
		const bailey = referenceNote(group('ar', 'my.courtTravel'), 'central-criminal-court', '', 'ar');
		expect(bailey.text).toContain('Old Bailey');
		expect(bailey.text).not.toContain('Known as');
	});

	it('shows an agency an admin added, with no translation, in English marked as English', () => {
		const does = 'Helps people in Hackney with debts.';
		expect(referenceNote(group('ar', 'my.agencies'), 'hackney-debt', does, 'ar')).toEqual({
			text: does,
			lang: 'en'
		});
		// On an English page it is simply the page's language.
		expect(referenceNote(group('en', 'my.agencies'), 'hackney-debt', does, 'en')).toEqual({
			text: does,
			lang: undefined
		});
	});
});
