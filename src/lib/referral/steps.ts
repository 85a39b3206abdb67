// The referral journey, shared by the server (validation, flow) and the pages (rendering).

export const safeNowChoices = ['safe', 'danger', 'unsure'] as const;
export const whoChoices = ['victim', 'witness', 'family'] as const;
export const knowsChoices = ['yes', 'no', 'unsure'] as const;
export const crimeTypes = [
	'domestic_abuse',
	'sexual_violence',
	'hate_crime',
	'stalking',
	'fraud',
	'burglary',
	'violence',
	'robbery',
	'antisocial',
	'other'
] as const;
export const whenChoices = ['ongoing', 'week', 'month', 'year', 'longer', 'unsure'] as const;
export const policeChoices = ['reported', 'not_reported', 'not_wanted', 'unsure'] as const;
export const needChoices = [
	'emotional',
	'practical',
	'safety',
	'housing',
	'money',
	'health',
	'court',
	'restorative',
	'other'
] as const;
export const childChoices = ['yes', 'no', 'unsure'] as const;
export const channelChoices = ['phone', 'text', 'email', 'portal'] as const;
export const yesNo = ['yes', 'no'] as const;

/** Languages London speaks, each named in itself; "other" lets a person write their own. */
/**
 * A draft nobody has touched for this long is deleted (server: referrals/drafts.ts); the start
 * page says so, so that nobody learns it only by losing their answers.
 */
export const draftIdleMinutes = 60;

export const preferredLanguages = [
	{ code: 'en', name: 'English' },
	{ code: 'pl', name: 'Polski' },
	{ code: 'ar', name: 'العربية' },
	{ code: 'ro', name: 'Română' },
	{ code: 'bn', name: 'বাংলা' },
	{ code: 'ur', name: 'اردو' },
	{ code: 'pa', name: 'ਪੰਜਾਬੀ' },
	{ code: 'gu', name: 'ગુજરાતી' },
	{ code: 'ta', name: 'தமிழ்' },
	{ code: 'so', name: 'Soomaali' },
	{ code: 'tr', name: 'Türkçe' },
	{ code: 'pt', name: 'Português' },
	{ code: 'es', name: 'Español' },
	{ code: 'fr', name: 'Français' },
	{ code: 'lt', name: 'Lietuvių' },
	{ code: 'zh', name: '中文' },
	{ code: 'other', name: '' }
] as const;

export type Choice<T extends readonly string[]> = T[number];

export type { Answers } from '$lib/server/referrals/schemas';

/**
 * The steps in order: the one map from a step's URL segment to where its answers live in
 * `Answers` (`key`). A step marked `single` asks one question and keeps that answer itself; the
 * others keep their schema's whole output. The passphrase is hashed on the draft, never an answer.
 */
export const steps = [
	{ slug: 'safe-now', key: 'safeNow', single: true },
	{ slug: 'who', key: 'who', single: true },
	{ slug: 'about-them', key: 'them' },
	{ slug: 'what-happened', key: 'happened' },
	{ slug: 'account', key: 'account' },
	{ slug: 'police', key: 'police' },
	{ slug: 'needs', key: 'needs' },
	{ slug: 'contact', key: 'contact' },
	{ slug: 'language', key: 'language' },
	{ slug: 'consent', key: 'consent' },
	{ slug: 'passphrase', key: null }
] as const;

export type Step = (typeof steps)[number];
export type StepSlug = (typeof steps)[number]['slug'];

/** True when the URL segment names a step. */
export function isStep(slug: string): slug is StepSlug {
	return steps.some((step) => step.slug === slug);
}

/** The step with this URL segment. */
export function stepOf(slug: StepSlug): Step {
	return steps.find((step) => step.slug === slug)!;
}

/** The steps this person goes through: "about them" only when acting for someone else. */
export function stepsFor(answers: { who?: string }): StepSlug[] {
	return steps
		.map((step) => step.slug)
		.filter((slug) => slug !== 'about-them' || answers.who === 'family');
}

/** The step after this one, or `check` at the end. */
export function nextStep(slug: StepSlug, answers: { who?: string }): StepSlug | 'check' {
	const list = stepsFor(answers);
	return list[list.indexOf(slug) + 1] ?? 'check';
}

/** The step before this one, or the start page. */
export function previousStep(slug: StepSlug, answers: { who?: string }): StepSlug | '' {
	const list = stepsFor(answers);
	const index = list.indexOf(slug);
	return index > 0 ? list[index - 1]! : '';
}
