import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentPages, courtPages } from '$lib/content/pages';
import { preferredLanguages } from '$lib/referral/steps';
import { directionOf, localizePath, locales, splitLocale } from './locales';

const root = 'src/lib/i18n/locales';

type Tree = { [key: string]: unknown };

/** Every leaf of a message tree as `namespace.path` → text (array items become `path.0`). */
function flatten(tree: unknown, prefix = ''): Map<string, string> {
	const out = new Map<string, string>();
	if (typeof tree === 'string') out.set(prefix, tree);
	else if (tree && typeof tree === 'object') {
		for (const [key, value] of Object.entries(tree as Tree)) {
			for (const [k, v] of flatten(value, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
		}
	}
	return out;
}

// The staff console is English only (DESIGN: `staff/`, a real URL segment, in English).
const englishOnly = ['staff.json'];

function messages(lang: string): Map<string, string> {
	const tree: Tree = {};
	for (const file of readdirSync(join(root, lang)).filter((f) => !englishOnly.includes(f))) {
		tree[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(root, lang, file), 'utf8'));
	}
	return flatten(tree);
}

const placeholders = (text: string) =>
	[...text.matchAll(/{{\s*([\w.]+)[^}]*}}/g)].map((m) => m[1]).sort();

const english = messages('en');

// i18next plurals: `key_one`, `key_few`… Each language has the forms its own grammar needs.
const pluralSuffix = /_(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(pluralSuffix, '');
const baseKeys = (map: Map<string, string>) => new Set([...map.keys()].map(base));

describe.each(locales.filter((l) => l.code !== 'en').map((l) => l.code))('locale %s', (lang) => {
	const translated = messages(lang);

	it('has every key English has, and no key English lacks', () => {
		const theirs = baseKeys(translated);
		const ours = baseKeys(english);
		expect([...ours].filter((key) => !theirs.has(key))).toEqual([]);
		expect([...theirs].filter((key) => !ours.has(key))).toEqual([]);
	});

	it('has every plural form its grammar needs', () => {
		const forms = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
		const plurals = new Set([...english.keys()].filter((k) => pluralSuffix.test(k)).map(base));
		const missing = [...plurals].flatMap((key) =>
			forms.map((form) => `${key}_${form}`).filter((k) => !translated.has(k))
		);
		expect(missing).toEqual([]);
	});

	it('keeps the same {{placeholders}} in every message', () => {
		// A plural form is compared with English's `_other`, which has every placeholder.
		const englishText = (key: string) => english.get(key) ?? english.get(`${base(key)}_other`);
		const differing = [...translated].filter(([key, text]) => {
			const source = englishText(key);
			if (source === undefined) return false;
			// Forms like Arabic's `_one` may say "one" in words instead of using {{count}}.
			const theirs = placeholders(text).filter((p) => !pluralSuffix.test(key) || p !== 'count');
			const ours = placeholders(source).filter((p) => !pluralSuffix.test(key) || p !== 'count');
			return JSON.stringify(theirs) !== JSON.stringify(ours);
		});
		expect(differing.map(([key]) => key)).toEqual([]);
	});

	it('has no message left empty', () => {
		expect([...translated].filter(([, text]) => !text.trim()).map(([key]) => key)).toEqual([]);
	});

	it('has every content page', () => {
		const files = readdirSync(join('src/lib/content', lang));
		expect(contentPages.filter((page) => !files.includes(`${page}.md`))).toEqual([]);
		expect(courtPages.filter((page) => !files.includes(`court-${page}.md`))).toEqual([]);
	});
});

// In a right-to-left paragraph the spaces in "08 08 16 89 111" take the paragraph's direction, and
// the groups are shown in reverse order: "111 89 16 08 08". Every number written with spaces is
// isolated left to right, with U+2066…U+2069 in a message and <span dir="ltr"> on a page.
const spacedNumber = /\+?\d+(?:[ \u00a0]\d+)+/g;

describe.each(locales.filter((l) => l.dir === 'rtl').map((l) => l.code))(
	'right-to-left %s',
	(lang) => {
		it('keeps every phone number in its messages left to right', () => {
			const reversed = [...messages(lang)].flatMap(([key, text]) =>
				[...text.matchAll(spacedNumber)]
					.filter((m) => text[m.index - 1] !== '\u2066' || text[m.index + m[0].length] !== '\u2069')
					.map((m) => `${key}: ${m[0]}`)
			);
			expect(reversed).toEqual([]);
		});

		it('keeps every phone number on its pages left to right', () => {
			const reversed = readdirSync(join('src/lib/content', lang)).flatMap((file) => {
				const text = readFileSync(join('src/lib/content', lang, file), 'utf8');
				return [...text.matchAll(spacedNumber)]
					.filter(
						(m) =>
							!text.slice(0, m.index).endsWith('<span dir="ltr">') ||
							!text.slice(m.index + m[0].length).startsWith('</span>')
					)
					.map((m) => `${file}: ${m[0]}`);
			});
			expect(reversed).toEqual([]);
		});
	}
);

describe('language paths', () => {
	it('puts English at / and other languages under their prefix', () => {
		expect(localizePath('/', 'en')).toBe('/');
		expect(localizePath('/refer', 'pl')).toBe('/pl/refer');
		expect(localizePath('/', 'ar')).toBe('/ar');
		expect(splitLocale('/ar/safety')).toEqual({ lang: 'ar', path: '/safety' });
		expect(splitLocale('/pl')).toEqual({ lang: 'pl', path: '/' });
		expect(splitLocale('/en/safety')).toEqual({ lang: 'en', path: '/en/safety' });
		expect(splitLocale('/staff')).toEqual({ lang: 'en', path: '/staff' });
	});

	it('writes Arabic and Urdu right to left', () => {
		expect(directionOf('ar')).toBe('rtl');
		expect(directionOf('ur')).toBe('rtl');
		expect(directionOf('pl')).toBe('ltr');
		expect(directionOf('bn')).toBe('ltr');
	});

	it('names each language as the referral asks for it, so the two lists agree', () => {
		// The referral's language question defaults to the page's language (Language.svelte):
		// every language the site speaks must be one of its choices, named the same way.
		const asked = new Map(preferredLanguages.map((l) => [l.code as string, l.name as string]));
		expect(locales.filter((l) => asked.get(l.code) !== l.name).map((l) => l.code)).toEqual([]);
	});
});
