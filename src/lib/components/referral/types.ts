import type { LabelsIn, MessageGroup, Translate } from '$lib/i18n';
import { preferredLanguages } from '$lib/referral/steps';

/** What every step's fields receive: the values to show and the errors keyed by field id. */
export interface StepProps {
	values: Record<string, unknown>;
	errors: Partial<Record<string, string>>;
}

/** Radio or checkbox options labelled from one message group; a value without a label fails check. */
export function optionsFrom<G extends MessageGroup>(
	t: Translate,
	group: G,
	values: readonly LabelsIn<G>[]
) {
	// Widened to any group: the parameter types above already checked every label exists.
	const prefix: MessageGroup = group;
	return values.map((value) => ({ value, label: t(`${prefix}.${value as string}`) }));
}

/** Yes / No (/ I am not sure) options, from the shared form messages. */
export function yesNoOptions(t: Translate, unsure = false) {
	const options = [
		{ value: 'yes', label: t('common.form.yes') },
		{ value: 'no', label: t('common.form.no') }
	];
	return unsure ? [...options, { value: 'unsure', label: t('common.form.notSure') }] : options;
}

/**
 * The languages a person may ask us to use, each named in itself (so a person finds theirs
 * whatever the page's language) and marked as that language, so a screen reader says it as one.
 */
export function languageOptions(t: Translate) {
	return preferredLanguages.map((language) =>
		language.code === 'other'
			? { value: language.code, label: t('refer.language.other') }
			: { value: language.code, label: language.name, lang: language.code }
	);
}
