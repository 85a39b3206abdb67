// Writes src/error.html, SvelteKit's last-resort page: shown when an error happens before any of
// our pages could be drawn (in a hook, or in the error page itself). It has no styles and no
// script, but the quick exit comes first, in every language, with the apology and the way to 999.
// Its words come from the translations:
//   node scripts/error-page.js
// after they change (src/error-page.test.ts fails until the file matches them again).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// In the order of src/lib/i18n/locales.ts; Arabic and Urdu are written right to left.
export const languages = [
	'en',
	'ro',
	'pl',
	'es',
	'pt',
	'bn',
	'tr',
	'ar',
	'ur',
	'gu',
	'pa',
	'ta',
	'so'
];
const rightToLeft = new Set(['ar', 'ur']);

/** @param {string} text */
const escape = (text) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** @param {string} lang @param {string} namespace */
const messages = (lang, namespace) =>
	JSON.parse(
		readFileSync(
			new URL(`../src/lib/i18n/locales/${lang}/${namespace}.json`, import.meta.url),
			'utf8'
		)
	);

/** The page, as it must be written. */
export function errorPage() {
	const words = languages.map((lang) => ({
		lang,
		dir: rightToLeft.has(lang) ? 'rtl' : 'ltr',
		exit: messages(lang, 'common').quickExit.label,
		...messages(lang, 'errors').server,
		emergency: messages(lang, 'errors').emergency
	}));
	const english = words[0];
	const exits = words.map(
		({ lang, dir, exit }) =>
			`\t\t\t\t<li><a href="/quick-exit" lang="${lang}" dir="${dir}">${escape(exit)}</a></li>`
	);
	const sections = words.map(({ lang, dir, title, body, emergency }, i) =>
		[
			`\t\t\t<section lang="${lang}" dir="${dir}">`,
			`\t\t\t\t<${i === 0 ? 'h1' : 'h2'}>${escape(title)}</${i === 0 ? 'h1' : 'h2'}>`,
			`\t\t\t\t<p>${escape(body)}</p>`,
			`\t\t\t\t<p>${escape(emergency)}</p>`,
			`\t\t\t</section>`
		].join('\n')
	);
	return [
		'<!doctype html>',
		'<!-- Written by scripts/error-page.js from the translations: change them, then run it. -->',
		'<html lang="en" dir="ltr">',
		'\t<head>',
		'\t\t<meta charset="utf-8" />',
		'\t\t<meta name="viewport" content="width=device-width, initial-scale=1" />',
		'\t\t<meta name="referrer" content="no-referrer" />',
		'\t\t<meta name="robots" content="noindex" />',
		`\t\t<title>${escape(english.title)}</title>`,
		'\t</head>',
		'\t<body>',
		`\t\t<nav aria-label="${escape(english.exit)}">`,
		'\t\t\t<ul>',
		...exits,
		'\t\t\t</ul>',
		'\t\t</nav>',
		'\t\t<main>',
		...sections,
		'\t\t</main>',
		'\t</body>',
		'</html>',
		''
	].join('\n');
}

export const errorPagePath = fileURLToPath(new URL('../src/error.html', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	writeFileSync(errorPagePath, errorPage());
	console.log(`Wrote ${errorPagePath}`);
}
