import type { Locale } from './locales';

/** A piece of reference data as a person reads it, with the language it is in when not the page's. */
export interface ReferenceNote {
	text: string;
	/** `en` when the page is in another language and this text has no translation yet. */
	lang: 'en' | undefined;
}

/**
 * Reference data a person sees — a court's travel note, a partner agency's description — in the
 * page's language when the messages have it under the item's id (`my.courtTravel`, `my.agencies`,
 * passed as `t(group, { returnObjects: true })`), or else the English kept with the data (an
 * agency an admin added has only that), marked `lang="en"` so a screen reader says it in English
 * (WCAG 3.1.2, language of parts).
 */
export function referenceNote(
	translations: unknown,
	id: string,
	english: string,
	pageLang: Locale
): ReferenceNote {
	const text =
		translations && typeof translations === 'object'
			? (translations as Record<string, unknown>)[id]
			: undefined;
	if (typeof text === 'string' && text) return { text, lang: undefined };
	return { text: english, lang: pageLang === 'en' ? undefined : 'en' };
}
