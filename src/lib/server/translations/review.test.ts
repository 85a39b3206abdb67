import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locales } from '$lib/i18n/locales';
import {
	changedSince,
	englishTexts,
	fingerprintsOf,
	languageReviews,
	type ReviewRecord
} from './review';

/** Records a review the way a maintainer does, in a copy of the English, and reads it back. */
function reviewInCopy(): { dir: string; record: ReviewRecord } {
	const dir = mkdtempSync(join(tmpdir(), 'onedoor-review-'));
	for (const part of ['src/lib/i18n/locales/en', 'src/lib/content/en']) {
		cpSync(part, join(dir, part), { recursive: true });
	}
	mkdirSync(join(dir, 'src/lib/i18n/review'), { recursive: true });
	execFileSync(
		process.execPath,
		[resolve('scripts/translation-reviewed.js'), 'pl', 'A. Nowak', '2026-12-01'],
		{
			cwd: dir
		}
	);
	const record = JSON.parse(readFileSync(join(dir, 'src/lib/i18n/review/pl.json'), 'utf8'));
	return { dir, record };
}

describe('translation review status', () => {
	it('counts nothing changed right after a review, and each English text changed or added since', () => {
		const { record } = reviewInCopy();
		expect(record).toMatchObject({
			status: 'reviewed',
			reviewer: 'A. Nowak',
			reviewed: '2026-12-01'
		});
		const today = englishTexts();
		// The script and the console fingerprint English the same way.
		expect(changedSince(record.fingerprints, today)).toBe(0);

		const edited = new Map(today);
		edited.set('home.heading', 'Get help after a crime');
		expect(changedSince(record.fingerprints, edited)).toBe(1);
		edited.set('home.brandNewLine', 'A sentence English gained after the review');
		expect(changedSince(record.fingerprints, edited)).toBe(2);
		edited.set('content/safety.md', today.get('content/safety.md') + '\nOne more paragraph.');
		expect(changedSince(record.fingerprints, edited)).toBe(3);
	});

	it('follows every person-facing message and page, never the English-only console', () => {
		const texts = englishTexts();
		expect(texts.get('home.heading')).toBe('Get support after a crime');
		expect(texts.has('content/court-glossary.md')).toBe(true);
		expect([...texts.keys()].some((id) => id.startsWith('staff.'))).toBe(false);
	});

	it('shows English as the source, a reviewed language with its reviewer, and the rest awaiting review', () => {
		const texts = new Map([
			['home.heading', 'Get support after a crime'],
			['home.lead', 'Free, private support']
		]);
		const reviewed: ReviewRecord = {
			status: 'reviewed',
			reviewer: 'A. Nowak',
			reviewed: '2026-11-28',
			fingerprints: fingerprintsOf(new Map([...texts].slice(0, 1)))
		};
		const rows = languageReviews(texts, (code) =>
			code === 'pl'
				? reviewed
				: { status: 'awaiting review', reviewer: null, reviewed: null, fingerprints: {} }
		);
		expect(rows.map((row) => row.code)).toEqual(locales.map((l) => l.code));
		expect(rows.find((r) => r.code === 'en')).toMatchObject({
			status: 'source',
			changedSinceReview: 0
		});
		expect(rows.find((r) => r.code === 'pl')).toMatchObject({
			status: 'reviewed',
			reviewer: 'A. Nowak',
			changedSinceReview: 1
		});
		expect(rows.find((r) => r.code === 'ar')).toMatchObject({
			status: 'awaiting review',
			changedSinceReview: 2
		});
	});

	it('has a committed review record for every language', () => {
		for (const { code } of locales) {
			const record = JSON.parse(readFileSync(`src/lib/i18n/review/${code}.json`, 'utf8'));
			expect(['source', 'reviewed', 'awaiting review'], code).toContain(record.status);
		}
	});
});
