import { Marked } from 'marked';
import { defaultLocale, localizePath, type Locale } from '$lib/i18n/locales';
import { config } from '$lib/server/config';
import { pseudoHtml } from '$lib/i18n/pseudo';

// Long-form pages (safety, privacy…) are Markdown per language, written for this project.
const files = import.meta.glob<string>('../content/*/*.md', {
	eager: true,
	query: '?raw',
	import: 'default'
});

function source(lang: Locale, name: string): string | undefined {
	return files[`../content/${lang}/${name}.md`];
}

function markdown(lang: Locale): Marked {
	return new Marked({
		renderer: {
			// Site links stay in the reader's language: `/safety` becomes `/pl/safety` in Polish.
			link({ href, title, tokens }) {
				const text = this.parser.parseInline(tokens);
				const target = href.startsWith('/') ? localizePath(href, lang) : href;
				const external = /^https?:/.test(href) ? ' rel="noreferrer"' : '';
				const titleAttr = title ? ` title="${title}"` : '';
				return `<a href="${target}"${titleAttr}${external}>${text}</a>`;
			}
		}
	});
}

/** What a page may name as `{{name}}`: the organisation answering for people's data. */
export type ContentValues = Record<'controllerName' | 'controllerContact' | 'dpoContact', string>;

function configuredValues(): ContentValues {
	return config().privacy;
}

const escapes: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

// Filled in after Markdown is rendered, so a configured value is only ever text: never markup,
// never Markdown. <bdi> keeps a Latin name or address whole inside right-to-left Arabic.
function fill(html: string, values: ContentValues): string {
	return html.replace(/\{\{(\w+)\}\}/g, (placeholder, key: string) =>
		Object.hasOwn(values, key)
			? `<bdi>${values[key as keyof ContentValues].replace(/[&<>"']/g, (c) => escapes[c] ?? c)}</bdi>`
			: placeholder
	);
}

/** The HTML of a content page in a language, falling back to English; undefined if none. */
export function renderContent(
	lang: Locale,
	name: string,
	values: ContentValues = configuredValues()
): string | undefined {
	const text = source(lang, name) ?? source(defaultLocale, name);
	if (text === undefined) return undefined;
	return fill(markdown(lang).parse(text, { async: false }), values);
}

/** A rendered page in the pseudo-language when the request is in it (development and tests). */
export function pseudoIf(pseudo: boolean, html: string | undefined): string | undefined {
	return pseudo && html !== undefined ? pseudoHtml(html) : html;
}
