import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './return-path';

const origin = 'https://onedoor.example';

/** Where a browser would go with this `Location` from a page on our origin. */
const landsOn = (location: string) => new URL(location, `${origin}/my`).origin;

describe('safeReturnPath', () => {
	const nasty = [
		'//evil.example',
		'//evil.example/x',
		'///evil.example',
		'/\\evil.example',
		'/\\/evil.example',
		'\\\\evil.example',
		'/%09/evil.example/x',
		'/\t/evil.example/x',
		'/\n/evil.example/x',
		'/\r\n/evil.example',
		'\t//evil.example',
		'/ /evil.example',
		'/%2F%2Fevil.example',
		'/%5C%5Cevil.example',
		'/.//evil.example',
		'/..//evil.example',
		'/./%2e/evil.example',
		'https://evil.example',
		'https:evil.example',
		'http://onedoor.example@evil.example',
		'javascript:alert(1)',
		'JaVaScRiPt:alert(1)',
		'data:text/html,hi',
		'evil.example',
		'',
		' ',
		null,
		undefined,
		42,
		['/my']
	];

	it.each(nasty.map((value) => [JSON.stringify(value) ?? String(value), value]))(
		'keeps %s on our own origin',
		(_, value) => {
			const location = safeReturnPath(value, origin);
			expect(location.startsWith('/')).toBe(true);
			expect(location.startsWith('//')).toBe(false);
			expect(landsOn(location)).toBe(origin);
		}
	);

	it('sends an outside address home rather than anywhere else', () => {
		// `return=/%09/evil.example/x` in a posted form arrives decoded, with a real tab.
		const outside = [
			'//evil.example',
			'/\\evil.example',
			'/\t/evil.example/x',
			'https://evil.example'
		];
		for (const value of [...outside, 'javascript:alert(1)']) {
			expect(safeReturnPath(value, origin)).toBe('/');
		}
	});

	it('keeps an ordinary path on our site, with its query and fragment', () => {
		expect(safeReturnPath('/pl/court/before?x=1#top', origin)).toBe('/pl/court/before?x=1#top');
		expect(safeReturnPath('/staff/sign-in', origin)).toBe('/staff/sign-in');
		expect(safeReturnPath('/', origin)).toBe('/');
	});

	it('keeps an encoded slash as part of a path, which stays on our origin', () => {
		const location = safeReturnPath('/%2F%2Fevil.example', origin);
		expect(landsOn(location)).toBe(origin);
		expect(new URL(location, origin).pathname).toBe('/%2F%2Fevil.example');
	});
});
