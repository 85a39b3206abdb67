// Records that a native speaker has checked a language against today's English:
//   node scripts/translation-reviewed.js pl "Name of reviewer" 2026-12-01
// writes src/lib/i18n/review/pl.json with a fingerprint of every English text, so the console's
// translations page counts the English texts changed since (src/lib/server/translations/review.ts
// computes the same fingerprints).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Today on London's calendar (en-CA writes YYYY-MM-DD), not UTC's: at 00:30 in summer they differ.
const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
const [code, reviewer, reviewed = today] = process.argv.slice(2);
if (!code || !/^[a-z]{2,3}$/.test(code) || code === 'en' || !reviewer?.trim()) {
	console.error(
		'Usage: node scripts/translation-reviewed.js <language code> "<reviewer>" [YYYY-MM-DD]'
	);
	process.exit(1);
}
if (!/^\d{4}-\d{2}-\d{2}$/.test(reviewed)) {
	console.error(`The date must be YYYY-MM-DD, but it is "${reviewed}".`);
	process.exit(1);
}

const fingerprint = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);
const texts = new Map();
const walk = (value, id) => {
	if (typeof value === 'string') texts.set(id, value);
	else if (value && typeof value === 'object') {
		for (const [key, inner] of Object.entries(value)) walk(inner, `${id}.${key}`);
	}
};
const messages = 'src/lib/i18n/locales/en';
for (const file of readdirSync(messages)) {
	// The console is English only: not translated, not reviewed.
	if (file.endsWith('.json') && file !== 'staff.json') {
		walk(JSON.parse(readFileSync(join(messages, file), 'utf8')), file.replace(/\.json$/, ''));
	}
}
const pages = 'src/lib/content/en';
for (const file of readdirSync(pages).filter((f) => f.endsWith('.md'))) {
	texts.set(`content/${file}`, readFileSync(join(pages, file), 'utf8'));
}
const record = {
	status: 'reviewed',
	reviewer: reviewer.trim(),
	reviewed,
	fingerprints: Object.fromEntries([...texts].map(([id, t]) => [id, fingerprint(t)]).sort())
};
writeFileSync(`src/lib/i18n/review/${code}.json`, JSON.stringify(record, null, '\t') + '\n');
console.log(`${code}: reviewed by ${record.reviewer} on ${reviewed}, ${texts.size} English texts.`);
