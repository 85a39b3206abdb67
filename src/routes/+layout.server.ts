import { directionOf, splitLocale } from '$lib/i18n/locales';
import { config } from '$lib/server/config';
import { stripPseudo } from '$lib/i18n/pseudo';
import { refTo } from '$lib/i18n/transport';
import { namespacesForRoute, pageMessages } from '$lib/server/i18n';
import type { LayoutServerLoad } from './$types';

// What every page shares, whoever it is for. Each audience's shell loads the rest.
export const load: LayoutServerLoad = ({ route, url, locals, isDataRequest }) => {
	const settings = config();
	const { lang, path } = splitLocale(stripPseudo(url.pathname) ?? url.pathname);
	const messages = pageMessages(lang, namespacesForRoute(route.id), locals.pseudo);
	return {
		i18n: {
			lang,
			dir: directionOf(lang),
			path,
			// A page names its messages' script (i18n/transport.ts); a client-side navigation's
			// data names the messages and their script, which the browser's load below resolves
			// (+layout.ts). The pseudo-language's messages, made per request, travel whole.
			messages: isDataRequest ? (refTo(messages) ?? messages) : messages
		},
		origin: settings.origin.origin,
		serviceName: settings.serviceName,
		// Here, not in the people's shell, so that the last-resort error page can offer it too.
		quickExitUrl: settings.quickExitUrl.href
	};
};
