import { westernDigits } from '$lib/digits';
import * as v from 'valibot';
import {
	channelChoices,
	childChoices,
	crimeTypes,
	knowsChoices,
	needChoices,
	policeChoices,
	preferredLanguages,
	safeNowChoices,
	whenChoices,
	whoChoices,
	yesNo,
	type Step,
	type StepSlug
} from '$lib/referral/steps';
import {
	passphraseMaxLength,
	passphraseMinLength,
	passphraseMinStrength,
	passphraseStrength
} from '$lib/referral/passphrase';

// One valibot schema per step; every message is an i18n key under `refer.errors`.
const e = (key: string) => `refer.errors.${key}`;

const text = (max: number, key: string) =>
	v.pipe(v.string(e('notText')), v.trim(), v.maxLength(max, e(key)));
const required = (max: number, key: string, emptyKey: string) =>
	v.pipe(v.string(e('notText')), v.trim(), v.nonEmpty(e(emptyKey)), v.maxLength(max, e(key)));
const choice = <T extends readonly [string, ...string[]]>(options: T, key: string) =>
	v.picklist(options, e(key));

// Today as London's calendar has it (en-CA writes YYYY-MM-DD), whatever the server's zone.
const londonDay = new Intl.DateTimeFormat('en-CA', {
	timeZone: 'Europe/London',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit'
});

/**
 * True for a real date (YYYY-MM-DD) that is today or before, from 1900. "Today" is London's: at
 * 00:30 in summer it is already the new day there, though not yet in UTC.
 */
export function isPastDate(value: string, now = new Date()): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return false;
	return value <= londonDay.format(now) && date.getUTCFullYear() >= 1900;
}

const phonePattern = /^\+?[\d\s()-]{7,25}$/;
/** A phone number we can dial: 10 to 15 digits, with spaces, brackets, + and - allowed. */
export const isPhone = (value: string) =>
	phonePattern.test(value) &&
	value.replace(/\D/g, '').length >= 10 &&
	value.replace(/\D/g, '').length <= 15;

export const stepSchemas = {
	'safe-now': v.object({ safeNow: choice(safeNowChoices, 'safeNow') }),
	who: v.object({ who: choice(whoChoices, 'who') }),
	'about-them': v.object({
		name: required(100, 'nameTooLong', 'themName'),
		contact: text(500, 'themContactTooLong'),
		knows: choice(knowsChoices, 'knows')
	}),
	'what-happened': v.object({
		crimeType: choice(crimeTypes, 'crimeType'),
		when: choice(whenChoices, 'when'),
		date: v.pipe(
			text(10, 'date'),
			v.check((value) => value === '' || isPastDate(value), e('date'))
		)
	}),
	account: v.object({ account: text(10_000, 'accountTooLong') }),
	police: v.pipe(
		v.object({
			police: choice(policeChoices, 'police'),
			crimeReference: v.pipe(
				text(30, 'crimeReference'),
				v.transform(westernDigits),
				v.regex(/^[A-Za-z0-9/-]*$/, e('crimeReference'))
			)
		}),
		// A crime reference only means something when the crime was reported; otherwise drop it.
		v.transform((input) => ({
			...input,
			crimeReference: input.police === 'reported' ? input.crimeReference : ''
		}))
	),
	needs: v.object({
		needs: v.pipe(
			v.array(choice(needChoices, 'needs'), e('needs')),
			v.minLength(1, e('needs')),
			v.check((list) => new Set(list).size === list.length, e('needs'))
		),
		childAtRisk: choice(childChoices, 'childAtRisk')
	}),
	contact: v.pipe(
		v.object({
			channels: v.pipe(
				v.array(choice(channelChoices, 'channels'), e('channels')),
				v.minLength(1, e('channels')),
				v.check((list) => new Set(list).size === list.length, e('channels'))
			),
			name: text(100, 'nameTooLong'),
			phone: v.pipe(text(30, 'phone'), v.transform(westernDigits)),
			email: text(254, 'email'),
			voicemail: v.picklist([...yesNo, ''], e('voicemail')),
			sayWhoWeAre: v.picklist([...yesNo, ''], e('sayWhoWeAre')),
			safeTimes: text(200, 'safeTimesTooLong'),
			alternative: text(500, 'alternativeTooLong')
		}),
		v.forward(
			v.check(
				(input) => !input.channels.includes('portal') || input.channels.length === 1,
				e('portalOnly')
			),
			['channels']
		),
		v.forward(
			v.check(
				(input) =>
					!(input.channels.includes('phone') || input.channels.includes('text')) ||
					isPhone(input.phone),
				e('phone')
			),
			['phone']
		),
		v.forward(
			v.check((input) => input.phone === '' || isPhone(input.phone), e('phone')),
			['phone']
		),
		v.forward(
			v.check(
				(input) =>
					(!input.channels.includes('email') && input.email === '') ||
					v.is(v.pipe(v.string(), v.email()), input.email),
				e('email')
			),
			['email']
		),
		v.forward(
			v.check(
				(input) => !input.channels.includes('phone') || input.voicemail !== '',
				e('voicemail')
			),
			['voicemail']
		),
		v.forward(
			v.check(
				(input) => !input.channels.includes('phone') || input.sayWhoWeAre !== '',
				e('sayWhoWeAre')
			),
			['sayWhoWeAre']
		)
	),
	language: v.object({
		language: choice(
			preferredLanguages.map((l) => l.code) as unknown as readonly [string, ...string[]],
			'language'
		),
		interpreter: choice(yesNo, 'interpreter'),
		accessNeeds: text(1000, 'accessNeedsTooLong')
	}),
	consent: v.object({
		share: v.pipe(
			v.picklist(['yes', ''], e('consent')),
			v.transform((x) => x === 'yes')
		),
		police: v.pipe(
			v.picklist(['yes', ''], e('consent')),
			v.transform((x) => x === 'yes')
		)
	}),
	passphrase: v.pipe(
		v.object({
			passphrase: v.pipe(
				v.string(e('notText')),
				v.nonEmpty(e('passphraseMissing')),
				v.maxLength(passphraseMaxLength, e('passphraseTooLong')),
				v.minLength(passphraseMinLength, e('passphraseTooShort')),
				v.check((p) => passphraseStrength(p) >= passphraseMinStrength, e('passphraseWeak'))
			),
			confirm: v.string(e('notText'))
		}),
		v.forward(
			v.check((input) => input.passphrase === input.confirm, e('passphraseMismatch')),
			['confirm']
		)
	)
} satisfies Record<StepSlug, v.GenericSchema>;

type Output<S extends StepSlug> = v.InferOutput<(typeof stepSchemas)[S]>;
type Kept<S extends Step> = S extends { single: true }
	? Output<S['slug']>[S['key'] & keyof Output<S['slug']>]
	: Output<S['slug']>;

/**
 * Everything a person can tell us, built up step by step in their draft: each step's schema
 * output under its key in `steps`, so a new question in a schema is an answer here at once.
 */
export type Answers = { [S in Step as S['key'] & string]?: Kept<S> };

type Given<K extends keyof Answers> = NonNullable<Answers[K]>;

/**
 * The plain choices a referral keeps as submitted (`referrals.answers`): a new choice in the
 * "what happened" or "needs" step is kept with no other change. Each other answer has one home
 * of its own: who it is for in `referrals.relationship`; free text in sealed columns; the crime
 * type and police report on the case, where the queue filters by them; and what the person may
 * change later (safe routes, language, consents) on the case too.
 */
export type ReferralAnswers = {
	safeNow: Given<'safeNow'>;
	themKnows: Given<'them'>['knows'] | null;
} & Omit<Given<'happened'>, 'crimeType'> &
	Given<'needs'> & {
		/** A professional referral only: whether the person is an adult or under 18. */
		age?: 'adult' | 'under18';
	};
