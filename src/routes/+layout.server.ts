import { directionOf, splitLocale } from '$lib/i18n/locales';
import { config } from '$lib/server/config';
import { stripPseudo } from '$lib/i18n/pseudo';
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
			// A page carries its messages as a data block made once (i18n/transport.ts); a
			// client-side navigation's data has no page to carry them, so it gets a copy, whole.
			messages: isDataRequest ? { ...messages } : messages
		},
		origin: settings.origin.origin,
		serviceName: settings.serviceName,
		// Here, not in the people's shell, so that the last-resort error page can offer it too.
		quickExitUrl: settings.quickExitUrl.href
	};
};
