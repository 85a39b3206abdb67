import * as v from 'valibot';
import {
	ageChoices,
	agreedChoices,
	personRoles,
	professionalChannels,
	professionalKinds
} from '$lib/referral/professional';
import {
	childChoices,
	crimeTypes,
	needChoices,
	policeChoices,
	preferredLanguages,
	safeNowChoices,
	whenChoices,
	yesNo
} from '$lib/referral/steps';
import type { referrerKinds } from '$lib/server/db/schema';
import { westernDigits } from '$lib/digits';
import { isPastDate, isPhone } from './schemas';

// The page's list and the database's are the same words: a new kind in one fails `npm run check`.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const kindsMatch: Same<(typeof professionalKinds)[number], (typeof referrerKinds)[number]> = true;
void kindsMatch;

// Every message is an i18n key: the professional's own under `refer.professional.errors`, the
// person-facing referral's under `refer.errors` where its words fit a professional too.
const e = (key: string) => `refer.professional.errors.${key}`;
const shared = (key: string) => `refer.errors.${key}`;

const text = (max: number, key: string) =>
	v.pipe(v.string(shared('notText')), v.trim(), v.maxLength(max, key));
const required = (max: number, key: string, emptyKey: string) =>
	v.pipe(v.string(shared('notText')), v.trim(), v.nonEmpty(emptyKey), v.maxLength(max, key));
const choice = <T extends readonly [string, ...string[]]>(options: T, key: string) =>
	v.picklist(options, key);
const list = <T extends readonly [string, ...string[]]>(options: T, key: string) =>
	v.pipe(
		v.array(choice(options, key), key),
		v.minLength(1, key),
		v.check((items) => new Set(items).size === items.length, key)
	);
const isEmail = (value: string) => v.is(v.pipe(v.string(), v.email()), value);

/** The agreement question, asked on a page of its own before anything else. */
export const agreedForm = v.object({ agreed: choice(agreedChoices, e('agreed')) });

/**
 * The whole professional referral, one form: about the professional, the person and how to reach
 * them safely, what happened, needs and risk. `agreed` rides along from the first question and
 * is checked again here; `formToken` makes a second submit of the same page find the first case.
 */
export const professionalForm = v.pipe(
	v.object({
		agreed: choice(agreedChoices, e('agreed')),
		formToken: v.pipe(v.string(e('expired')), v.regex(/^[A-Za-z0-9_-]{16,64}$/, e('expired'))),
		referrerName: required(100, shared('nameTooLong'), e('referrerName')),
		organisation: required(200, e('organisationTooLong'), e('organisation')),
		referrerKind: choice(professionalKinds, e('referrerKind')),
		referrerRole: text(100, e('roleTooLong')),
		workEmail: text(254, e('workEmail')),
		workPhone: v.pipe(text(30, e('workPhone')), v.transform(westernDigits)),
		name: required(100, shared('nameTooLong'), e('name')),
		age: choice(ageChoices, e('age')),
		relationship: choice(personRoles, e('relationship')),
		channels: list(professionalChannels, e('channels')),
		phone: v.pipe(text(30, shared('phone')), v.transform(westernDigits)),
		email: text(254, shared('email')),
		voicemail: v.picklist([...yesNo, ''], e('voicemail')),
		sayWhoWeAre: v.picklist([...yesNo, ''], e('sayWhoWeAre')),
		safeTimes: text(200, shared('safeTimesTooLong')),
		language: choice(
			preferredLanguages.map((l) => l.code) as unknown as readonly [string, ...string[]],
			e('language')
		),
		interpreter: choice(yesNo, e('interpreter')),
		accessNeeds: text(1000, shared('accessNeedsTooLong')),
		safeNow: choice(safeNowChoices, e('safeNow')),
		childAtRisk: choice(childChoices, e('childAtRisk')),
		crimeType: choice(crimeTypes, shared('crimeType')),
		when: choice(whenChoices, shared('when')),
		date: v.pipe(
			text(10, shared('date')),
			v.check((value) => value === '' || isPastDate(value), shared('date'))
		),
		police: choice(policeChoices, e('police')),
		crimeReference: v.pipe(
			text(30, shared('crimeReference')),
			v.transform(westernDigits),
			v.regex(/^[A-Za-z0-9/-]*$/, shared('crimeReference'))
		),
		account: text(10_000, shared('accountTooLong')),
		needs: list(needChoices, e('needs'))
	}),
	// At least one way to reach the professional at work, and each one given must be real.
	v.forward(
		v.check((input) => input.workEmail !== '' || input.workPhone !== '', e('workContact')),
		['workEmail']
	),
	v.forward(
		v.check((input) => input.workEmail === '' || isEmail(input.workEmail), e('workEmail')),
		['workEmail']
	),
	v.forward(
		v.check((input) => input.workPhone === '' || isPhone(input.workPhone), e('workPhone')),
		['workPhone']
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
		v.check((input) => input.phone === '' || isPhone(input.phone), shared('phone')),
		['phone']
	),
	v.forward(
		v.check(
			(input) => (!input.channels.includes('email') && input.email === '') || isEmail(input.email),
			e('email')
		),
		['email']
	),
	v.forward(
		v.check((input) => !input.channels.includes('phone') || input.voicemail !== '', e('voicemail')),
		['voicemail']
	),
	v.forward(
		v.check(
			(input) => !input.channels.includes('phone') || input.sayWhoWeAre !== '',
			e('sayWhoWeAre')
		),
		['sayWhoWeAre']
	),
	// A crime reference only means something when the crime was reported; otherwise drop it.
	v.transform((input) => ({
		...input,
		crimeReference: input.police === 'reported' ? input.crimeReference : ''
	}))
);

/** A professional referral as its form checked it. */
export type ProfessionalReferral = v.InferOutput<typeof professionalForm>;
