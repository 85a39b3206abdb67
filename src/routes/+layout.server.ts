import { directionOf, splitLocale } from '$lib/i18n/locales';
import { config } from '$lib/server/config';
import { exitNoticeCookie } from '$lib/server/exit-notice';
import { messagesFor, namespacesForRoute } from '$lib/server/i18n';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ route, url, cookies, locals }) => {
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
		quickExitUrl: settings.quickExitUrl.href,
		showExitNotice: cookies.get(exitNoticeCookie) !== 'seen',
		signedIn: locals.user?.role === 'person',
		// The console is for staff at work: no quick exit, no language picker, no first-visit notice.
		staffConsole: route.id?.startsWith('/staff') ?? false
	};
};
