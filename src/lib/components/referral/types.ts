import type { MessageGroup, Translate } from '$lib/i18n';

/** What every step's fields receive: the values to show and the errors keyed by field id. */
export interface StepProps {
	values: Record<string, unknown>;
	errors: Record<string, string>;
}

/** Radio or checkbox options whose labels live under one i18n prefix. */
export function optionsFrom(t: Translate, prefix: MessageGroup, values: readonly string[]) {
	return values.map((value) => ({ value, label: t(`${prefix}.${value}`) }));
}

/** Yes / No (/ I am not sure) options, from the shared form messages. */
export function yesNoOptions(t: Translate, unsure = false) {
	const options = [
		{ value: 'yes', label: t('common.form.yes') },
		{ value: 'no', label: t('common.form.no') }
	];
	return unsure ? [...options, { value: 'unsure', label: t('common.form.notSure') }] : options;
}
