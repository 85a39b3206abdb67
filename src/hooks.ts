import type { Reroute, Transport } from '@sveltejs/kit';
import { messagesRef, pageMessages } from '$lib/i18n/transport';
import { stripPseudo } from '$lib/i18n/pseudo';

// The pseudo-language (development and tests) shows the English pages: `/en-XA/court` is the
// route of `/court`. Whether it is served at all is the server's to say (hooks.server.ts).
export const reroute: Reroute = ({ url }) => stripPseudo(url.pathname) ?? undefined;

// A page's messages go to the browser as a script made once per language and namespace set, and
// a client-side navigation's data names them (i18n/transport.ts).
export const transport: Transport = { PageMessages: pageMessages, MessagesRef: messagesRef };
