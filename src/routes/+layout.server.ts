import { directionOf, splitLocale } from '$lib/i18n/locales';
import { config } from '$lib/server/config';
import { messagesFor, namespacesForRoute } from '$lib/server/i18n';
import type { LayoutServerLoad } from './$types';

// What every page shares, whoever it is for. Each audience's shell loads the rest.
export const load: LayoutServerLoad = ({ route, url }) => {
	const settings = config();
	const { lang, path } = splitLocale(url.pathname);
	return {
		i18n: {
			lang,
			dir: directionOf(lang),
			path,
			messages: messagesFor(lang, namespacesForRoute(route.id))
		},
		origin: settings.origin.origin,
		serviceName: settings.serviceName,
		// Here, not in the people's shell, so that the last-resort error page can offer it too.
		quickExitUrl: settings.quickExitUrl.href
	};
};
