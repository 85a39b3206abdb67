import { formatWhen } from '$lib/format';
import type { Translate } from '$lib/i18n';

/** A person-visible timeline event as stored: a template key and its language-neutral values. */
export interface VisibleEvent {
	kind: string;
	params: Record<string, string> | null;
}

/**
 * The sentence a person reads for a timeline event, in their language: the template comes from
 * `my.timeline`, and values that are codes (role, outcome, kind of hearing, a date) are put
 * into that language too, so nothing English leaks into a Polish or Arabic timeline.
 */
export function timelineText(t: Translate, lang: string, event: VisibleEvent): string {
	const params: Record<string, string> = { ...(event.params ?? {}) };
	if (params.role) params.role = t(`my.roles.${params.role}`);
	if (params.outcome) params.outcome = t(`my.outcomes.${params.outcome}`);
	if (params.type) params.type = t(`my.hearingTypes.${params.type}`);
	if (params.date) {
		params.date = formatWhen(lang, new Date(params.date), 'full');
	}
	return t(`my.timeline.${event.kind}`, params);
}
