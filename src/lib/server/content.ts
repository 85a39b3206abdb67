import { Marked } from 'marked';
import { defaultLocale, localizePath, type Locale } from '$lib/i18n/locales';

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

/** The HTML of a content page in a language, falling back to English; undefined if none. */
export function renderContent(lang: Locale, name: string): string | undefined {
	const text = source(lang, name) ?? source(defaultLocale, name);
	if (text === undefined) return undefined;
	return markdown(lang).parse(text, { async: false });
}

/** The names of the content pages a language has, for tests and the offline cache. */
export function contentNames(lang: Locale): string[] {
	const prefix = `../content/${lang}/`;
	return Object.keys(files)
		.filter((file) => file.startsWith(prefix))
		.map((file) => file.slice(prefix.length, -'.md'.length));
}
