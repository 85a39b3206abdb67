import { describe, expect, it } from 'vitest';
import { locales } from '$lib/i18n/locales';
import { isOfflinePage, offlinePageFor, offlinePagesIn, visitorLanguageOf } from './offline';

describe('what the offline app keeps', () => {
	it('keeps one language at a time, never another language or a private page', () => {
		const arabic = offlinePagesIn('ar');
		expect(arabic).toContain('/ar/court/rights');
		expect(arabic).toContain('/ar');
		expect(arabic.every((path) => path === '/ar' || path.startsWith('/ar/'))).toBe(true);
		expect(offlinePagesIn('en')).toContain('/court/day');
		for (const path of ['/my', '/pl/refer', '/staff', '/court/', '/pl/']) {
			expect(isOfflinePage(path), path).toBe(false);
		}
		expect(isOfflinePage('/pl/safety')).toBe(true);
	});

	it('learns the visitor language from the pages people read, not from the console or files', () => {
		expect(visitorLanguageOf('/pl/refer/who')).toBe('pl');
		expect(visitorLanguageOf('/ar')).toBe('ar');
		expect(visitorLanguageOf('/court')).toBe('en');
		expect(visitorLanguageOf('/staff/cases')).toBeNull();
		expect(visitorLanguageOf('/robots.txt')).toBeNull();
		expect(offlinePageFor('/pl/my')).toBe('/pl/offline');
		expect(locales.map((l) => offlinePageFor(`/${l.code}/x`))).toHaveLength(locales.length);
	});
});
