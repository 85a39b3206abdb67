import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCipher, DataKeyError, loadCipher, parseDataKey } from './index';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('field encryption', () => {
	it('round-trips text, emoji and right-to-left names', () => {
		const cipher = createCipher(key('k1'));
		for (const text of ['', 'Ala ma kota', 'سارة 👩🏽‍🦱', '<script>alert(1)</script>']) {
			const sealed = cipher.encrypt(text);
			if (text) expect(sealed).not.toContain(text);
			expect(cipher.decrypt(sealed)).toBe(text);
		}
	});

	it('never seals the same text to the same value', () => {
		const cipher = createCipher(key('k1'));
		expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
	});

	it('stores the key id, and opens values sealed with a retired key after rotation', () => {
		const old = key('2025');
		const sealed = createCipher(old).encrypt('kept');
		expect(sealed.split('.')[1]).toBe('2025');
		const rotated = createCipher(key('2026'), [old]);
		expect(rotated.decrypt(sealed)).toBe('kept');
		expect(rotated.encrypt('new').split('.')[1]).toBe('2026');
	});

	it('refuses a tampered value or an unknown key', () => {
		const cipher = createCipher(key('k1'));
		const sealed = cipher.encrypt('secret');
		const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
		expect(() => cipher.decrypt(tampered)).toThrow();
		expect(() => createCipher(key('k2')).decrypt(sealed)).toThrow(/key "k1"/);
	});

	it('explains a malformed DATA_KEY in one sentence', () => {
		expect(() => parseDataKey('short')).toThrowError(DataKeyError);
		expect(() => parseDataKey('k1:' + randomBytes(16).toString('base64'))).toThrowError(
			/32 random bytes/
		);
		expect(parseDataKey('k1:' + randomBytes(32).toString('base64')).id).toBe('k1');
	});

	it('needs DATA_KEY outside production too: only npm run demo makes a local key', () => {
		const dir = mkdtempSync(join(tmpdir(), 'onedoor-key-'));
		const start = () => loadCipher({ DATABASE_PATH: join(dir, 'onedoor.db') }, false);
		expect(start).toThrowError(DataKeyError);
		expect(start).toThrowError(/^DATA_KEY is not set: .*`npm run demo` makes a local one/);
		expect(readdirSync(dir)).toEqual([]);
	});

	it('reads the retired keys in DATA_KEYS_OLD', () => {
		const text = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
		const cipher = loadCipher(
			{ DATA_KEY: text('k3'), DATA_KEYS_OLD: `${text('k1')}, ${text('k2')}` },
			true
		);
		expect(cipher.keyIds).toEqual(['k3', 'k1', 'k2']);
		expect(() =>
			loadCipher({ DATA_KEY: text('k3'), DATA_KEYS_OLD: 'k1:short' }, true)
		).toThrowError(/^DATA_KEYS_OLD must be "keyid:"/);
	});
});
