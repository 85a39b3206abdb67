import { describe, expect, it } from 'vitest';
import { pseudoHtml, pseudoMessages, pseudoText, stripPseudo } from './pseudo';

describe('the pseudo-language', () => {
	it('accents, lengthens by about 40 % and brackets a text, leaving placeholders and markup alone', () => {
		const text =
			'Due in {{time}}: read <strong>this</strong> at https://example.org/a?b=1 &amp; $t(common.x)';
		const pseudo = pseudoText(text);
		expect(pseudo).toMatch(
			/^⟦Ðûé îñ \{\{time\}\}: ŕéáð <strong>ţĥîš<\/strong> áţ https:\/\/example\.org\/a\?b=1 &amp; \$t\(common\.x\) ~+⟧$/
		);
		const long = 'Get support after a crime';
		expect(pseudoText(long).length).toBeGreaterThanOrEqual(Math.round(long.length * 1.4));
		expect(pseudoText('  ')).toBe('  ');
	});

	it('converts every message, lists included, and only the text of rendered HTML', () => {
		const english = { home: { title: 'Home', who: ['victims', 'witnesses'] } };
		const pseudo = pseudoMessages(english) as typeof english;
		expect(pseudo.home.title).toMatch(/^⟦Ĥöɱé ~+⟧$/);
		expect(pseudo.home.who[1]).toMatch(/^⟦ŵîţñéššéš ~+⟧$/);
		expect(pseudoMessages(english)).toBe(pseudo);
		expect(pseudoHtml('<a href="/safety">Stay safe</a>')).toMatch(
			/^<a href="\/safety">⟦Šţáý šáƒé ~+⟧<\/a>$/
		);
	});

	it('lives under /en-XA', () => {
		expect(stripPseudo('/en-XA')).toBe('/');
		expect(stripPseudo('/en-XA/court/day')).toBe('/court/day');
		expect(stripPseudo('/en-XAx')).toBeNull();
		expect(stripPseudo('/court')).toBeNull();
	});
});
