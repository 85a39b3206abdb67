import { splitLocale } from '$lib/i18n/locales';
import { exitNoticeCookie } from '$lib/server/exit-notice';
import { languageOffer, offerMayShow } from '$lib/server/language-offer';
import type { LayoutServerLoad } from './$types';

// The people's shell: whether to show the first-visit notice about leaving quickly, the offer of
// the page in the browser's own language, and the account links of a signed-in person.
export const load: LayoutServerLoad = ({ cookies, locals, request, route, url }) => {
	const signedIn = locals.user?.role === 'person';
	// Not on the language page itself: the person is choosing there already.
	const offered =
		offerMayShow(cookies, signedIn) && route.id !== '/[[lang=locale]]/(public)/language';
	return {
		showExitNotice: cookies.get(exitNoticeCookie) !== 'seen',
		languageOffer: offered
			? languageOffer(request.headers.get('accept-language'), {
					lang: locals.lang,
					path: splitLocale(url.pathname).path
				})
			: null,
		signedIn
	};
};
