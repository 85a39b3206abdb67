import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createT, type MessageKey } from '$lib/i18n';
import {
	channelChoices,
	childChoices,
	crimeTypes,
	needChoices,
	policeChoices,
	safeNowChoices,
	whenChoices,
	whoChoices
} from '$lib/referral/steps';
import type { AuditAction } from '$lib/server/audit';
import * as signInForm from '$lib/server/auth/sign-in-form';
import { dashQuestions } from '$lib/server/cases/dash';
import * as caseSchemas from '$lib/server/cases/schemas';
import * as courtSchemas from '$lib/server/court/schemas';
import { exportForm } from '$lib/server/lifecycle/export';
import { specialMeasures } from '$lib/server/court';
import { caseOutcomes, caseStatuses, hearingTypes, riskLevels, users } from '$lib/server/db/schema';
import * as referralSchemas from '$lib/server/referrals/schemas';
import { catalogue, fixedT, messagesFor, withFallback } from './i18n';

const english = catalogue.en!;

/** The English text at `file.path`, a plural by its `_other` form; undefined when there is none. */
function lookup(key: string): unknown {
	const found = key.split('.').reduce<unknown>((node, part) => {
		if (!node || typeof node !== 'object') return undefined;
		const tree = node as Record<string, unknown>;
		return tree[part] ?? tree[`${part}_other`];
	}, english);
	return found;
}

/** Every `message` string inside a valibot schema, its pipe, entries, items and options. */
function schemaMessages(node: unknown, seen = new Set<unknown>()): string[] {
	if (!node || typeof node !== 'object' || seen.has(node)) return [];
	seen.add(node);
	const own = 'message' in node && typeof node.message === 'string' ? [node.message] : [];
	return [...own, ...Object.values(node).flatMap((value) => schemaMessages(value, seen))];
}

/** Source files the site runs, not its tests. */
function sourceFiles(directory = 'src'): string[] {
	return readdirSync(directory).flatMap((entry) => {
		const path = join(directory, entry);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return /\.(ts|svelte)$/.test(entry) && !entry.endsWith('.test.ts') ? [path] : [];
	});
}

describe('message keys', () => {
	it('types keys from every English file', () => {
		const declaration = readFileSync('src/lib/i18n/i18next.d.ts', 'utf8');
		const files = Object.keys(english).filter(
			(name) => !declaration.includes(`from './locales/en/${name}.json'`)
		);
		expect(files).toEqual([]);
	});

	it('has every valibot schema message in English', () => {
		const modules = [referralSchemas, caseSchemas, courtSchemas, signInForm, { exportForm }];
		const messages = new Set(modules.flatMap((module) => schemaMessages(module)));
		expect(messages.size).toBeGreaterThan(20);
		expect([...messages].filter((key) => typeof lookup(key) !== 'string')).toEqual([]);
	});

	it('has in English every whole key written anywhere in the code', () => {
		// Keys that are data before they reach `t` (a form error, a `done` notice) are strings here.
		const namespaces = Object.keys(english).join('|');
		const pattern = new RegExp(`['"\`]((?:${namespaces})(?:\\.\\w+)+)['"\`]`, 'g');
		const missing = sourceFiles().flatMap((file) =>
			[...readFileSync(file, 'utf8').matchAll(pattern)]
				.map((match) => match[1]!)
				.filter((key) => lookup(key) === undefined)
				.map((key) => `${key} (${file})`)
		);
		expect(missing).toEqual([]);
	});

	// Keys built from data, `staff.status.${row.status}`, are checked here value by value.
	it.each([
		['staff.status', caseStatuses],
		['staff.priority', ['1', '2', '3']],
		['staff.dash', dashQuestions],
		['staff.roles', users.role.enumValues],
		['staff.audit.roles', users.role.enumValues],
		['staff.story.yesNoUnsure', childChoices],
		['my.next', caseStatuses.filter((status) => status !== 'closed')],
		['staff.risk', riskLevels],
		['staff.outcomes', caseOutcomes],
		['my.outcomes', caseOutcomes],
		['staff.hearingTypes', hearingTypes],
		['my.hearingTypes', hearingTypes],
		['staff.court.measureNames', specialMeasures],
		['my.court.measures', specialMeasures],
		['staff.channels', channelChoices],
		['my.channels', channelChoices],
		['refer.contact', channelChoices],
		['staff.needs', needChoices],
		['refer.needs', needChoices],
		['staff.crimeTypes', crimeTypes],
		['refer.happened.crimeTypes', crimeTypes],
		['staff.story.whenChoices', whenChoices],
		['refer.happened.whens', whenChoices],
		['staff.story.policeChoices', policeChoices],
		['refer.police', policeChoices],
		['refer.safeNow', safeNowChoices],
		['refer.who', whoChoices]
	] as const)('labels every value of %s', (group, values: readonly string[]) => {
		expect(values.filter((value) => typeof lookup(`${group}.${value}`) !== 'string')).toEqual([]);
	});
});

// Where the vocabulary is a type, `npm run check` does the same: an action without a label fails.
export type AuditActionLabels = Labelled<`staff.audit.actions.${AuditAction}`>;
type Labelled<K extends MessageKey> = K;

describe('messages sent to a page', () => {
	it('fills a key a language lacks from English, and keeps the ones it has', () => {
		const english = { title: 'Title', nav: { home: 'Home', help: 'Help' } };
		const polish = { title: 'Tytuł', nav: { home: 'Start' } };
		expect(withFallback(polish, english)).toEqual({
			title: 'Tytuł',
			nav: { home: 'Start', help: 'Help' }
		});
	});

	it('sends English for a namespace a language does not have', () => {
		expect(messagesFor('pl', ['staff'])).toEqual({ staff: english.staff });
		expect(messagesFor('ar', ['common']).common).not.toEqual(english.common);
	});

	it('merges a language and namespace set once and makes its translate function once', () => {
		const messages = messagesFor('pl', ['common', 'refer']);
		expect(messagesFor('pl', ['common', 'refer'])).toBe(messages);
		expect(messagesFor('ar', ['common', 'refer'])).not.toBe(messages);
		const t = createT('pl', messages);
		expect(createT('pl', messages)).toBe(t);
		expect(t('refer.continue')).toBe(createT('pl', { ...messages })('refer.continue'));
	});

	it('falls back to English on the server too', () => {
		expect(fixedT('pl')('staff.roles.caseworker')).toBe('caseworker');
	});
});
