import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { localizePath } from '$lib/i18n/locales';
import { emailLinks } from '$lib/server/auth';
import { fieldErrors, formObject, readForm } from '$lib/server/forms';
import { stepSchemas } from '$lib/server/referrals/schemas';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url, cookies }) => ({
	usable: emailLinks.isUsable(url.searchParams.get('token') ?? '', 'reset', cookies)
});

export const actions: Actions = {
	default: async (event) => {
		const body = await readForm(event.request);
		if (!body.ok) return fail(body.status, { errors: { form: body.error } });
		const parsed = v.safeParse(
			stepSchemas.passphrase,
			formObject(body.form, ['passphrase', 'confirm'])
		);
		if (!parsed.success) return fail(400, { errors: fieldErrors(parsed.issues) });
		const token = event.url.searchParams.get('token') ?? '';
		if (!(await emailLinks.reset(token, parsed.output.passphrase, event.cookies))) {
			return fail(400, { errors: { form: 'signIn.email.expired' } });
		}
		redirect(303, localizePath('/sign-in', event.locals.lang) + '?reset');
	}
};
