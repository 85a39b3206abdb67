import { fail } from '@sveltejs/kit';
import { localizePath } from '$lib/i18n/locales';
import { emailLinks, issueCookie } from '$lib/server/auth';
import type { Actions, PageServerLoad } from './$types';

// Opening the link only shows a button: mail scanners follow links, and must not spend them.
export const load: PageServerLoad = ({ url, cookies }) => ({
	usable: emailLinks.isUsable(url.searchParams.get('token') ?? '', 'sign_in', cookies)
});

export const actions: Actions = {
	default: async (event) => {
		const grant = emailLinks.signIn(event.url.searchParams.get('token') ?? '', event.cookies);
		if (!grant) return fail(400, { failed: true });
		return issueCookie(event, grant, localizePath('/my', event.locals.lang));
	}
};
