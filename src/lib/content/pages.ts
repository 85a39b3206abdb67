/** Long-form pages written in Markdown under src/lib/content/<lang>/<name>.md. */
export const contentPages = ['safety', 'help', 'privacy', 'accessibility'] as const;

export type ContentPage = (typeof contentPages)[number];

/** True when the name is one of the Markdown content pages. */
export function isContentPage(name: string): name is ContentPage {
	return (contentPages as readonly string[]).includes(name);
}
