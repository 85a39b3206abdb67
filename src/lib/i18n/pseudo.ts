import type { Messages } from './index';

/**
 * The pseudo-language, for development and tests only: English made to look foreign — accented,
 * about 40 % longer, each message in ⟦brackets⟧ — so that text which never went through the
 * message files (it stays plain English) and text cut short by a narrow box (it loses its closing
 * bracket) show at a glance. It is not in `locales`, so the picker never offers it and no
 * hreflang names it; the server refuses its addresses unless PSEUDO_LOCALE is on, which
 * production never allows (src/lib/server/config.ts).
 */
export const pseudoLocale = 'en-XA';
const prefix = `/${pseudoLocale}`;

/** The path without the pseudo-language's prefix, or null when the path is not in it. */
export function stripPseudo(pathname: string): string | null {
	if (pathname === prefix) return '/';
	return pathname.startsWith(`${prefix}/`) ? pathname.slice(prefix.length) : null;
}

const accents: Record<string, string> = {
	a: 'á',
	b: 'ƀ',
	c: 'ç',
	d: 'ð',
	e: 'é',
	f: 'ƒ',
	g: 'ĝ',
	h: 'ĥ',
	i: 'î',
	j: 'ĵ',
	k: 'ķ',
	l: 'ļ',
	m: 'ɱ',
	n: 'ñ',
	o: 'ö',
	p: 'þ',
	q: 'ǫ',
	r: 'ŕ',
	s: 'š',
	t: 'ţ',
	u: 'û',
	v: 'ṽ',
	w: 'ŵ',
	x: 'ẋ',
	y: 'ý',
	z: 'ž',
	A: 'Å',
	B: 'Ɓ',
	C: 'Ç',
	D: 'Ð',
	E: 'É',
	F: 'Ƒ',
	G: 'Ĝ',
	H: 'Ĥ',
	I: 'Î',
	J: 'Ĵ',
	K: 'Ķ',
	L: 'Ļ',
	M: 'Ṁ',
	N: 'Ñ',
	O: 'Ö',
	P: 'Þ',
	Q: 'Ǫ',
	R: 'Ŕ',
	S: 'Š',
	T: 'Ţ',
	U: 'Û',
	V: 'Ṽ',
	W: 'Ŵ',
	X: 'Ẋ',
	Y: 'Ý',
	Z: 'Ž'
};
// Left exactly as they are: {{placeholders}}, $t(nesting), HTML tags, entities and URLs.
const untouched = /(\{\{[^}]*\}\}|\$t\([^)]*\)|<[^>]*>|&[#a-z0-9]+;|https?:\/\/\S+)/gi;

/** One text in the pseudo-language: `Get support` → `⟦Ĝéţ šûþþöŕţ ~~~~⟧`. */
export function pseudoText(text: string): string {
	if (!text.trim()) return text;
	const parts = text.split(untouched);
	const accented = parts
		.map((part, i) => (i % 2 === 1 ? part : part.replace(/[A-Za-z]/g, (c) => accents[c] ?? c)))
		.join('');
	const visible = parts.filter((_, i) => i % 2 === 0).join('').length;
	return `⟦${accented} ${'~'.repeat(Math.max(1, Math.ceil(visible * 0.4) - 1))}⟧`;
}

const made = new WeakMap<Messages, Messages>();

/** A set of messages in the pseudo-language, made once per English messages object. */
export function pseudoMessages(english: Messages): Messages {
	let pseudo = made.get(english);
	if (!pseudo) made.set(english, (pseudo = convert(english) as Messages));
	return pseudo;
}

function convert(value: unknown): unknown {
	if (typeof value === 'string') return pseudoText(value);
	if (Array.isArray(value)) return value.map(convert);
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, convert(inner)]));
	}
	return value;
}

/** Rendered HTML (a Markdown page) with the text between its tags in the pseudo-language. */
export function pseudoHtml(html: string): string {
	return html.replace(/>([^<]+)</g, (_, text: string) => `>${pseudoText(text)}<`);
}
