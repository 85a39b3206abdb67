import { describe, expect, it } from 'vitest';
import { isCrossSite } from './csrf';

const origin = 'https://onedoor.example';
const post = (headers: Record<string, string>) =>
	new Request(`${origin}/refer`, { method: 'POST', headers });

describe('isCrossSite', () => {
	it('lets our own pages post, even with the Origin: null that no-referrer causes', () => {
		expect(isCrossSite(post({ 'sec-fetch-site': 'same-origin', origin: 'null' }), origin)).toBe(
			false
		);
		expect(isCrossSite(post({ origin: 'null' }), origin)).toBe(false);
		expect(isCrossSite(post({ origin }), origin)).toBe(false);
	});

	it('refuses a post from another site', () => {
		expect(isCrossSite(post({ 'sec-fetch-site': 'cross-site', origin: 'null' }), origin)).toBe(
			true
		);
		expect(isCrossSite(post({ 'sec-fetch-site': 'same-site' }), origin)).toBe(true);
		expect(isCrossSite(post({ origin: 'https://evil.example' }), origin)).toBe(true);
	});

	it('never blocks reading a page', () => {
		const get = new Request(`${origin}/`, { headers: { 'sec-fetch-site': 'cross-site' } });
		expect(isCrossSite(get, origin)).toBe(false);
	});
});
