import { describe, expect, it } from 'vitest';
import { languageOfPath, languagesAskedFor } from '$lib/server/http/accept-language.js';
import { languageOffer, preferredLanguage } from './language-offer';

describe("a browser's languages", () => {
	it('are read most wanted first, by their main language, without q=0 or *', () => {
		expect(languagesAskedFor('fr-FR,fr;q=0.9,pt-BR;q=0.8,es;q=0,*;q=0.1')).toEqual(['fr', 'pt']);
		expect(languagesAskedFor('en;q=0.2, bn-IN;q=0.9, ur')).toEqual(['ur', 'bn', 'en']);
		expect(languagesAskedFor('')).toEqual([]);
		expect(languagesAskedFor(undefined)).toEqual([]);
		expect(languagesAskedFor('not a language!, <script>')).toEqual([]);
	});

	it('tell Panjabi in Shahmukhi from the Gurmukhi the site writes', () => {
		expect(languagesAskedFor('pa-Arab-PK, pa-IN')).toEqual(['pa-arab', 'pa']);
		expect(languagesAskedFor('pa-PK')).toEqual(['pa-arab']);
	});

	it('choose the first language the site speaks', () => {
		expect(preferredLanguage('fr-FR, lt;q=0.9, ro;q=0.8, en;q=0.7')).toBe('ro');
		expect(preferredLanguage('zh-CN, fr')).toBeNull();
		expect(preferredLanguage(null)).toBeNull();
	});

	it('name the language of a path as its prefix, English without one', () => {
		expect(languageOfPath('/ur/court/day')).toBe('ur');
		expect(languageOfPath('/so')).toBe('so');
		expect(languageOfPath('/court/day')).toBe('en');
		expect(languageOfPath('/')).toBe('en');
	});
});

describe('the first-visit language offer', () => {
	it('offers the same page in the browser’s language, written in that language', () => {
		const offer = languageOffer('es-ES,es;q=0.9,en;q=0.8', { lang: 'en', path: '/court/day' });
		expect(offer).toMatchObject({
			lang: 'es',
			dir: 'ltr',
			href: '/es/court/day',
			link: 'Ver esta página en español'
		});
	});

	it('offers Urdu right to left, and English at the unprefixed path', () => {
		expect(languageOffer('ur-PK', { lang: 'pl', path: '/' })).toMatchObject({
			lang: 'ur',
			dir: 'rtl',
			href: '/ur'
		});
		expect(languageOffer('en-GB', { lang: 'ar', path: '/safety' })).toMatchObject({
			lang: 'en',
			href: '/safety',
			link: 'Read this page in English'
		});
	});

	it('offers nothing when the page is already in that language, or none is spoken here', () => {
		expect(languageOffer('bn-BD,bn;q=0.9', { lang: 'bn', path: '/help' })).toBeNull();
		expect(languageOffer('fr-FR, de', { lang: 'en', path: '/help' })).toBeNull();
		expect(languageOffer(null, { lang: 'en', path: '/help' })).toBeNull();
	});
});
