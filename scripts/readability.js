// Flesch–Kincaid grade level of a Markdown text: 0.39 × words per sentence + 11.8 × syllables
// per word − 15.59. Grade 6 is about what a 11-year-old reads; the court guide aims at 9–11.
// Usage: node scripts/readability.js file.md …   (prints each file's grade)

/**
 * The plain words and sentences of a Markdown text: no links' addresses, no markup.
 * @param {string} markdown
 */
export function plainText(markdown) {
	return markdown
		.replace(/<[^>]+>/g, ' ')
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/^#+\s*/gm, '')
		.replace(/^\s*[-*]\s+/gm, '')
		.replace(/[*_`>|]/g, ' ');
}

/**
 * Syllables in an English word, by vowel groups (the usual estimate for readability formulas).
 * @param {string} word
 */
export function syllables(word) {
	const w = word.toLowerCase().replace(/[^a-z]/g, '');
	if (w.length <= 3) return 1;
	const trimmed = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').replace(/^y/, '');
	const groups = trimmed.match(/[aeiouy]{1,2}/g);
	return Math.max(1, groups ? groups.length : 1);
}

/**
 * The Flesch–Kincaid grade level of a Markdown text.
 * @param {string} markdown
 */
export function fleschKincaidGrade(markdown) {
	const text = plainText(markdown);
	// A line or list item without a full stop still ends a sentence.
	const sentences = text
		.split(/[.!?]+|\n+/)
		.map((/** @type {string} */ s) => s.trim())
		.filter((/** @type {string} */ s) => /[a-z]/i.test(s));
	const words = text.match(/[A-Za-z][A-Za-z'’-]*/g) ?? [];
	if (words.length === 0 || sentences.length === 0) return 0;
	const syllableCount = words.reduce(
		(/** @type {number} */ sum, /** @type {string} */ word) => sum + syllables(word),
		0
	);
	return 0.39 * (words.length / sentences.length) + 11.8 * (syllableCount / words.length) - 15.59;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const { readFileSync } = await import('node:fs');
	for (const file of process.argv.slice(2)) {
		console.log(`${fleschKincaidGrade(readFileSync(file, 'utf8')).toFixed(1)}  ${file}`);
	}
}
