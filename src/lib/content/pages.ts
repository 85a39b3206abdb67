/** Long-form pages written in Markdown under src/lib/content/<lang>/<name>.md. */
export const contentPages = ['safety', 'help', 'privacy', 'accessibility'] as const;

export type ContentPage = (typeof contentPages)[number];

/** True when the name is one of the Markdown content pages. */
export function isContentPage(name: string): name is ContentPage {
	return (contentPages as readonly string[]).includes(name);
}

/** The court guide's pages, in reading order: `src/lib/content/<lang>/court-<page>.md`. */
export const courtPages = ['before', 'day', 'after', 'rights', 'glossary'] as const;

export type CourtPage = (typeof courtPages)[number];

/** True when the name is one of the court guide's pages. */
export function isCourtPage(name: string): name is CourtPage {
	return (courtPages as readonly string[]).includes(name);
}
