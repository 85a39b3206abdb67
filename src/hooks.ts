import type { Reroute, Transport } from '@sveltejs/kit';
import { pageMessages } from '$lib/i18n/transport';
import { stripPseudo } from '$lib/i18n/pseudo';

// The pseudo-language (development and tests) shows the English pages: `/en-XA/court` is the
// route of `/court`. Whether it is served at all is the server's to say (hooks.server.ts).
export const reroute: Reroute = ({ url }) => stripPseudo(url.pathname) ?? undefined;

// A page's messages go to the browser as JSON serialised once per language (i18n/transport.ts).
export const transport: Transport = { PageMessages: pageMessages };
