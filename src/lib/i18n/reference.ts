import type { Messages } from './index';
import type { Locale } from './locales';

/** A piece of reference data as a person reads it, with the language it is in when not the page's. */
export interface ReferenceNote {
	text: string;
	/** `en` when the page is in another language and this text has no translation yet. */
	lang: 'en' | undefined;
}

/**
 * Reference data a person sees — a court's travel note, a partner agency's description — in the
 * page's language when its messages have it under the item's id in `group` (`my.courtTravel`,
 * `my.agencies`), or else the English kept with the data (an agency an admin added has only
 * that), marked `lang="en"` so a screen reader says it in English (WCAG 3.1.2, language of parts).
 */
export function referenceNote(
	messages: Messages,
	group: 'my.courtTravel' | 'my.agencies',
	id: string,
	english: string,
	pageLang: Locale
): ReferenceNote {
	let found: unknown = messages;
	for (const part of [...group.split('.'), id]) {
		found =
			found && typeof found === 'object' ? (found as Record<string, unknown>)[part] : undefined;
	}
	if (typeof found === 'string' && found) return { text: found, lang: undefined };
	return { text: english, lang: pageLang === 'en' ? undefined : 'en' };
}
