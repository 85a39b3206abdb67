import * as v from 'valibot';
import { crimeTypes, needChoices } from '$lib/referral/steps';
import {
	caseOutcomes,
	caseStatuses,
	hearingTypes,
	overrideBases,
	riskLevels
} from '$lib/server/db/schema';
import { dashQuestions } from './dash';
import { manualStatuses } from './changes';
import { open, sourceChoices, triage } from './queue';
import { reasonMaxLength } from './lifecycle';

// One schema per console form; every message is an i18n key under `staff.errors`.
const e = (key: string) => `staff.errors.${key}`;
const pick = <T extends readonly [string, ...string[]]>(options: T, key: string) =>
	v.picklist(options, e(key));
const text = (max: number, emptyKey: string, longKey: string) =>
	v.pipe(v.string(e(emptyKey)), v.trim(), v.nonEmpty(e(emptyKey)), v.maxLength(max, e(longKey)));
const id = (key: string) =>
	v.pipe(v.string(e(key)), v.trim(), v.nonEmpty(e(key)), v.maxLength(64, e(key)));
const uniqueList = <T extends readonly [string, ...string[]]>(options: T, key: string) =>
	v.pipe(
		v.array(v.picklist(options, e(key)), e(key)),
		v.check((list) => new Set(list).size === list.length, e(key))
	);

export const assignForm = v.object({ caseworker: id('caseworker') });
export const statusForm = v.object({ status: pick(manualStatuses, 'status') });
export const closeForm = v.object({
	outcome: pick(caseOutcomes, 'outcome'),
	// A checkbox: "yes" when ticked, absent (read as '') when not.
	anyway: v.optional(v.picklist(['yes', ''], e('closeOpenWork')), '')
});
/** Opening a closed case again: why, kept in the audit trail. */
export const reopenForm = v.object({
	reopenReason: text(reasonMaxLength, 'reopenReason', 'lifecycleReasonTooLong')
});
export const firstContactForm = v.object({
	channel: pick(['phone', 'text', 'email', 'portal'], 'channel')
});
export const noteForm = v.object({ note: text(5000, 'note', 'noteTooLong') });
// What a form that replaces a whole answer showed when it was opened (changes.ts `needsShown`,
// `dashShown`): a hidden field, so a save over a colleague's since is refused, not silent.
const shown = (key: string) => v.optional(v.pipe(v.string(e(key)), v.maxLength(500, e(key))));
export const needsForm = v.object({
	needs: v.pipe(uniqueList(needChoices, 'needs'), v.minLength(1, e('needs'))),
	riskLevel: pick(riskLevels, 'riskLevel'),
	shown: shown('changedSince')
});
export const dashForm = v.object({
	yes: uniqueList(dashQuestions as unknown as [string, ...string[]], 'dash'),
	shown: shown('dashChangedSince')
});
// Per-agency consent (partners/consent.ts). The summary is what the person is shown when asked
// and all the agency sees; the reason for referring stays with our staff.
export const proposeForm = v.object({
	agency: id('agency'),
	reason: text(2000, 'reason', 'reasonTooLong'),
	summary: text(2000, 'summary', 'summaryTooLong')
});
export const recordConsentForm = v.object({
	referral: id('referral'),
	consentNote: text(1000, 'consentNote', 'consentNoteTooLong')
});
// Its own field names: it sits on the page beside the proposal's, and each field's id is its name.
export const overrideForm = v.object({
	overrideAgency: id('agency'),
	overrideSummary: text(2000, 'summary', 'summaryTooLong'),
	basis: pick(overrideBases, 'overrideBasis'),
	overrideReason: text(2000, 'overrideReason', 'overrideReasonTooLong')
});

function londonTime(date: string, time: string): Date | null {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return null;
	// The court's clock is London's: find the UTC offset London had on that day.
	const naive = new Date(`${date}T${time}:00Z`);
	if (Number.isNaN(naive.getTime()) || naive.toISOString().slice(0, 10) !== date) return null;
	const london = new Date(naive.toLocaleString('en-US', { timeZone: 'Europe/London' }));
	const utc = new Date(naive.toLocaleString('en-US', { timeZone: 'UTC' }));
	return new Date(naive.getTime() - (london.getTime() - utc.getTime()));
}

export const hearingForm = v.pipe(
	v.object({
		/** Set when changing a hearing already on the case; empty to record a new one. */
		hearing: v.pipe(v.string(e('notChanged')), v.trim(), v.maxLength(64, e('notChanged'))),
		court: id('court'),
		date: v.pipe(v.string(e('hearingDate')), v.trim(), v.nonEmpty(e('hearingDate'))),
		time: v.pipe(
			v.string(e('hearingTime')),
			v.trim(),
			v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, e('hearingTime'))
		),
		type: pick(hearingTypes, 'hearingType'),
		/** The hearing as the form showed it (court/index.ts `hearingVersion`), when changing one. */
		was: v.optional(v.pipe(v.string(e('notChanged')), v.maxLength(200, e('notChanged'))))
	}),
	v.forward(
		v.check((input) => {
			const at = londonTime(input.date, input.time);
			// Within five years either way: recording a past hearing is allowed, a typo in the year is not.
			return at !== null && Math.abs(at.getTime() - Date.now()) < 5 * 366 * 86_400_000;
		}, e('hearingDate')),
		['date']
	),
	v.transform((input) => ({
		hearingId: input.hearing || null,
		courtId: input.court,
		startsAt: londonTime(input.date, input.time)!,
		type: input.type,
		was: input.was
	}))
);

export const requestDoneForm = v.object({ request: id('notChanged') });

/** The longest search the case list's search box takes. */
export const searchMaxLength = 100;

export const filtersForm = v.object({
	status: v.optional(v.picklist(['', triage, open, ...caseStatuses])),
	crimeType: v.optional(v.picklist(['', ...crimeTypes])),
	need: v.optional(v.picklist(['', ...needChoices])),
	language: v.optional(v.pipe(v.string(), v.maxLength(10))),
	caseworker: v.optional(v.pipe(v.string(), v.maxLength(64))),
	overdue: v.optional(v.picklist(['', 'yes'])),
	source: v.optional(v.picklist(['', ...sourceChoices])),
	q: v.optional(v.pipe(v.string(), v.maxLength(searchMaxLength))),
	after: v.optional(v.pipe(v.string(), v.maxLength(200)))
});

/**
 * The case list's filters from its address, each on its own: a value we do not offer (an edited
 * URL) is ignored, and the other filters and the page's place among them still apply.
 */
export function readFilters(params: URLSearchParams): v.InferOutput<typeof filtersForm> {
	const chosen: Record<string, unknown> = {};
	for (const [key, schema] of Object.entries(filtersForm.entries)) {
		const value = params.get(key);
		if (value === null) continue;
		const parsed = v.safeParse(schema, value);
		if (parsed.success && parsed.output) chosen[key] = parsed.output;
	}
	return chosen as v.InferOutput<typeof filtersForm>;
}

// The data lifecycle (cases/lifecycle.ts): each reason is kept in the audit trail.
const lifecycleReason = (emptyKey: string) =>
	text(reasonMaxLength, emptyKey, 'lifecycleReasonTooLong');
// `holdReason`, not `reason`: the retention page holds a hold form and the erasure form, and
// each field's id is its name.
export const setHoldForm = v.object({ holdReason: lifecycleReason('holdReason') });
export const liftHoldForm = v.object({ holdReason: lifecycleReason('liftReason') });
/** Erasure, first step: the reason, and for an open case the outcome it closes with. */
export const reviewErasureForm = v.object({
	reason: lifecycleReason('eraseReason'),
	outcome: v.picklist(['', ...caseOutcomes], e('outcome'))
});
/** Erasure, the confirmation: the same answers again, and the box ticked. */
export const eraseForm = v.object({
	reason: lifecycleReason('eraseReason'),
	outcome: v.picklist(['', ...caseOutcomes], e('outcome')),
	confirm: v.literal('yes', e('confirmErase'))
});
