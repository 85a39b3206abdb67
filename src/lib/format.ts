/** How much of a moment to show: a date, a date and time, or the full weekday and time. */
export type DateStyle = 'date' | 'long' | 'dateTime' | 'full' | 'seconds';

const styles: Record<DateStyle, Intl.DateTimeFormatOptions> = {
	date: { dateStyle: 'medium' },
	long: { dateStyle: 'long' },
	dateTime: { dateStyle: 'medium', timeStyle: 'short' },
	full: { dateStyle: 'full', timeStyle: 'short' },
	seconds: { dateStyle: 'medium', timeStyle: 'medium' }
};

/**
 * A moment as people in London read it, in a language: the service and the courts keep London
 * time, whatever the server's or the phone's own time zone.
 */
export function formatWhen(lang: string, at: Date, style: DateStyle = 'dateTime'): string {
	return formatter(lang, style).format(at);
}

// Building an Intl.DateTimeFormat costs far more than using one (ICU loads the locale's patterns):
// a queue page of 50 rows built 100 and spent an eighth of its time there. One per language and style.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: string, style: DateStyle): Intl.DateTimeFormat {
	const key = `${lang}|${style}`;
	let made = formatters.get(key);
	if (!made) {
		// Plain `en` is American English to Intl (December 18, 2:30 PM); London reads 18 December, 14:30.
		const locale = lang === 'en' ? 'en-GB' : lang;
		made = new Intl.DateTimeFormat(locale, { ...styles[style], timeZone: 'Europe/London' });
		formatters.set(key, made);
	}
	return made;
}
