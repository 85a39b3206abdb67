import { redirect } from '@sveltejs/kit';
import { localizePath } from '$lib/i18n/locales';
import * as audit from '$lib/server/audit';
import { clearCookie, people, requirePerson, sessions } from '$lib/server/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requirePerson(event);
	return {};
};

export const actions: Actions = {
	/** Someone else may know the passphrase: end every session and block sign-in. */
	lock: (event) => {
		const person = requirePerson(event);
		people.lock(person);
		clearCookie(event);
		event.setHeaders({ 'Clear-Site-Data': '"cache", "storage"' });
		redirect(303, localizePath('/sign-in', event.locals.lang) + '?locked');
	},
	signOutEverywhere: (event) => {
		const person = requirePerson(event);
		sessions.endAll(person.userId);
		audit.record('sign_out_everywhere', { id: person.userId, role: person.role });
		clearCookie(event);
		event.setHeaders({ 'Clear-Site-Data': '"cache", "storage"' });
		redirect(303, localizePath('/sign-in', event.locals.lang));
	}
};
