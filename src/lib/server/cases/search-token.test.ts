import { createCipheriv, randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCipher, seal, useCipher } from '$lib/server/crypto';
import { openSearch, sealSearch, searchHours } from './search-token';

const dataKey = randomBytes(32);
beforeEach(() => {
	useCipher(createCipher({ id: 'test', key: dataKey }));
});

describe('a search sealed for the case list’s address', () => {
	it('opens to what was typed, for the staff member who typed it, and shows no name', () => {
		const token = sealSearch('Anna Nowak', 'staff-1');
		// No name in it: the bytes hold no trace of the text (a regex on the base64url would
		// match random letters now and then).
		expect(Buffer.from(token, 'base64url').includes('Nowak')).toBe(false);
		expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(openSearch(token, 'staff-1')).toEqual({ q: 'Anna Nowak' });
		// The same search twice gives two addresses: nothing to match one against another.
		expect(sealSearch('Anna Nowak', 'staff-1')).not.toBe(token);
		// A reference, a short name and the longest search seal to the same length.
		const lengths = ['ACDE-FG4K', 'Li', 'Ż'.repeat(100)].map(
			(q) => sealSearch(q, 'staff-1').length
		);
		expect(new Set([...lengths, token.length]).size).toBe(1);
	});

	it('has ended for anyone else, after a working day, and under a rotated key', () => {
		const at = Date.UTC(2026, 11, 1, 9);
		const token = sealSearch('Nowak', 'staff-1', at);
		expect(openSearch(token, 'staff-2', at)).toBe('ended');
		expect(openSearch(token, 'staff-1', at + searchHours * 3_600_000 - 1)).toEqual({
			q: 'Nowak'
		});
		expect(openSearch(token, 'staff-1', at + searchHours * 3_600_000)).toBe('ended');
		useCipher(createCipher({ id: 'next', key: randomBytes(32) }));
		expect(openSearch(token, 'staff-1', at)).toBe('ended');
	});

	it('refuses an altered token, a stored sealed value and junk, and tells no search from one', () => {
		const token = sealSearch('Nowak', 'staff-1');
		const flipped = Buffer.from(token, 'base64url');
		flipped[20] = (flipped[20] ?? 0) ^ 1;
		expect(openSearch(flipped.toString('base64url'), 'staff-1')).toBe('ended');
		// A name sealed in the database does not open as a search, and a search sealed in the
		// token's own layout but under the data key itself does not either: the key is this
		// purpose's own, derived from the data key.
		expect(openSearch(seal('Anna Nowak'), 'staff-1')).toBe('ended');
		const iv = randomBytes(12);
		const gcm = createCipheriv('aes-256-gcm', dataKey, iv);
		const plain = JSON.stringify({ q: 'Nowak', user: 'staff-1', at: Date.now() });
		const body = Buffer.concat([gcm.update(plain, 'utf8'), gcm.final()]);
		const underDataKey = Buffer.concat([iv, body, gcm.getAuthTag()]).toString('base64url');
		expect(openSearch(underDataKey, 'staff-1')).toBe('ended');
		expect(openSearch('not a token', 'staff-1')).toBe('ended');
		expect(openSearch('x'.repeat(5000), 'staff-1')).toBe('ended');
		expect(openSearch(null, 'staff-1')).toBe('none');
		expect(openSearch('', 'staff-1')).toBe('none');
	});
});
