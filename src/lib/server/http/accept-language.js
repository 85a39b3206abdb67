// Plain JavaScript so that the page cache, which server.js loads unbuilt, reads a browser's
// languages exactly as the first-visit language offer does (src/lib/server/language-offer.ts).

/** More ranges than any browser sends; past them, the header is not read. */
const mostRanges = 20;

/**
 * The languages a browser's `Accept-Language` asks for, most wanted first, each as its primary
 * subtag (`pt-BR` is `pt`): ranges with q=0 and `*` left out, equal weights in the order given
 * (RFC 9110 §12.5.4). Panjabi written in Shahmukhi (`pa-Arab`, or `pa-PK` where it is the
 * usual script) is named `pa-arab`, not `pa`: the site's Panjabi is Gurmukhi, and a reader of
 * the one script may not read the other.
 * @param {string | null | undefined} header
 * @returns {string[]}
 */
export function languagesAskedFor(header) {
	if (!header) return [];
	/** @type {{ code: string, q: number, at: number }[]} */
	const ranges = [];
	for (const [at, part] of header.split(',').slice(0, mostRanges).entries()) {
		const [range = '', ...parameters] = part.trim().toLowerCase().split(';');
		if (!/^[a-z]{1,8}(-[a-z0-9]{1,8})*$/.test(range)) continue;
		let q = 1;
		for (const parameter of parameters) {
			const [name, value] = parameter.trim().split('=');
			if (name === 'q') q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value ?? '') ? Number(value) : 0;
		}
		if (q <= 0) continue;
		const [primary = '', ...rest] = range.split('-');
		const shahmukhi = primary === 'pa' && (rest.includes('arab') || rest.includes('pk'));
		ranges.push({ code: shahmukhi ? 'pa-arab' : primary, q, at });
	}
	ranges.sort((a, b) => b.q - a.q || a.at - b.at);
	return [...new Set(ranges.map((range) => range.code))];
}

/**
 * The language a page's path is in, as far as the path alone tells: its first segment when that
 * looks like a language code, English otherwise. (The site's own list is in locales.ts, which
 * this plain module cannot read; see the page cache for why the guess is enough there.)
 * @param {string} path
 * @returns {string}
 */
export function languageOfPath(path) {
	const first = path.split(/[/?#]/)[1] ?? '';
	return /^[a-z]{2,3}$/.test(first) ? first : 'en';
}
