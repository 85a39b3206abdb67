import { MessagesRef, resolveMessages } from '$lib/i18n/transport';
import type { LayoutLoad } from './$types';

// Pages ship no framework JavaScript unless they opt in: content renders on the server and the
// quick exit runs from its own small script (DESIGN rule 8). Interactive pages set csr = true.
export const csr = false;

/**
 * The page's messages, in the browser after a client-side navigation: its data names them, and
 * they come from the script this tab has run, or the one it loads now (i18n/transport.ts).
 */
export const load: LayoutLoad = async ({ data, url }) => {
	const { messages } = data.i18n;
	if (!(messages instanceof MessagesRef)) return { ...data, i18n: { ...data.i18n, messages } };
	try {
		return { ...data, i18n: { ...data.i18n, messages: await resolveMessages(messages) } };
	} catch (error) {
		// The script did not load (a dropped connection): the page is asked for the ordinary way,
		// and works as it does without JavaScript if its script does not load then either.
		console.warn(error instanceof Error ? error.message : error);
		location.assign(url.href);
		return new Promise<never>(() => {});
	}
};
