import { createHash } from 'node:crypto';
import { defaultLocale, locales, type Locale } from '$lib/i18n/locales';
import type { Messages } from '$lib/i18n';
import { catalogue } from '$lib/server/i18n';

/**
 * A language's review record, `src/lib/i18n/review/<code>.json`: who checked the translation as
 * a native speaker and when, with a fingerprint of each English text as it was then, so that a
 * later change to the English shows as a text to check again. `scripts/translation-reviewed.js`
 * writes one after a review.
 */
export interface ReviewRecord {
	status: 'source' | 'reviewed' | 'awaiting review';
	reviewer: string | null;
	/** The day of the review, `YYYY-MM-DD`. */
	reviewed: string | null;
	/** English text id (`common.form.yes`, `content/safety.md`) → fingerprint at review time. */
	fingerprints: Record<string, string>;
}

/** What the console shows for one language. */
export interface LanguageReview {
	code: string;
	name: string;
	status: ReviewRecord['status'];
	reviewer: string | null;
	reviewed: string | null;
	/** English texts added or changed since the review (every text, if never reviewed). */
	changedSinceReview: number;
	/** English texts in all. */
	texts: number;
}

const records = import.meta.glob<ReviewRecord>('../../i18n/review/*.json', {
	eager: true,
	import: 'default'
});
const englishPages = import.meta.glob<string>('../../content/en/*.md', {
	eager: true,
	query: '?raw',
	import: 'default'
});
// The console is English only, and so is its message file: it is not translated or reviewed.
const notTranslated = new Set(['staff']);

/** A short fingerprint of one English text: the same text always gives the same one. */
export function fingerprint(text: string): string {
	return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Every English text a translation follows, by id: each message and each Markdown page. */
export function englishTexts(
	messages: Record<string, Messages> = catalogue[defaultLocale] ?? {},
	pages: Record<string, string> = englishPages
): Map<string, string> {
	const texts = new Map<string, string>();
	const walk = (value: unknown, id: string) => {
		if (typeof value === 'string') texts.set(id, value);
		else if (value && typeof value === 'object') {
			for (const [key, inner] of Object.entries(value)) walk(inner, `${id}.${key}`);
		}
	};
	for (const [namespace, tree] of Object.entries(messages)) {
		if (!notTranslated.has(namespace)) walk(tree, namespace);
	}
	for (const [file, text] of Object.entries(pages)) {
		texts.set(`content/${file.split('/').pop()}`, text);
	}
	return texts;
}

/** The fingerprints to store when a language has just been reviewed against today's English. */
export function fingerprintsOf(texts: Map<string, string>): Record<string, string> {
	return Object.fromEntries([...texts].map(([id, text]) => [id, fingerprint(text)]).sort());
}

/** How many English texts are new or different since the fingerprints were taken. */
export function changedSince(
	fingerprints: Record<string, string>,
	texts: Map<string, string>
): number {
	let changed = 0;
	for (const [id, text] of texts) if (fingerprints[id] !== fingerprint(text)) changed++;
	return changed;
}

const awaiting: ReviewRecord = {
	status: 'awaiting review',
	reviewer: null,
	reviewed: null,
	fingerprints: {}
};

/** A language's record; a language without a file is awaiting review. */
export function recordFor(code: string): ReviewRecord {
	return records[`../../i18n/review/${code}.json`] ?? awaiting;
}

/** Each registered language, its review status and how much English changed since. */
export function languageReviews(
	texts: Map<string, string> = englishTexts(),
	record: (code: Locale) => ReviewRecord = recordFor
): LanguageReview[] {
	return locales.map(({ code, name }) => {
		const { status, reviewer, reviewed, fingerprints } =
			code === defaultLocale ? { ...awaiting, status: 'source' as const } : record(code);
		return {
			code,
			name,
			status,
			reviewer,
			reviewed,
			changedSinceReview: status === 'source' ? 0 : changedSince(fingerprints, texts),
			texts: texts.size
		};
	});
}
