import { redirect } from '@sveltejs/kit';
import { localizePath } from '$lib/i18n/locales';
import { emailLinks } from '$lib/server/auth';
import { readValid } from '$lib/server/forms';
import { stepSchemas } from '$lib/server/referrals/schemas';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url, cookies }) => ({
	usable: emailLinks.isUsable(url.searchParams.get('token') ?? '', 'reset', cookies)
});

export const actions: Actions = {
	default: async (event) => {
		const sent = await readValid(event.request, stepSchemas.passphrase, {
			secret: ['passphrase', 'confirm']
		});
		if (!sent.ok) return sent.failure;
		const token = event.url.searchParams.get('token') ?? '';
		if (!(await emailLinks.reset(token, sent.output.passphrase, event.cookies))) {
			return sent.refuse('form', 'signIn.email.expired');
		}
		redirect(303, localizePath('/sign-in', event.locals.lang) + '?reset');
	}
};
