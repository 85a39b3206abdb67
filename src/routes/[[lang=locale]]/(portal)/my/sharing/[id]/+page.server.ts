import { error, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { localizePath } from '$lib/i18n/locales';
import { readValid } from '$lib/server/forms';
import * as partners from '$lib/server/partners';
import * as forPerson from '$lib/server/partners/for-person';
import { requireOwnCase, requireOwnCaseToChange } from '$lib/server/portal';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// One partner agency the person is asked about, or may stop sharing with: their own case only.
export const load: PageServerLoad = (event) => {
	const { row } = requireOwnCase(event);
	const referral = forPerson.own(row.id, event.params.id);
	if (!referral) error(404, 'not-found');
	// `?stop` (the link from /my/details) asks to confirm stopping; without it, where it stands.
	return { referral, stopping: event.url.searchParams.has('stop') };
};

const answerForm = v.object({ answer: v.picklist(['yes', 'no'], 'my.sharing.errors.answer') });
const withdrawForm = v.object({});

/** Back to this page, which now says what the answer did. */
const here = (event: RequestEvent) =>
	redirect(303, localizePath(`/my/sharing/${event.params.id}`, event.locals.lang));

export const actions: Actions = {
	answer: async (event) => {
		const { person, row } = requireOwnCaseToChange(event);
		const sent = await readValid(event.request, answerForm, { name: 'answer' });
		if (!sent.ok) return sent.failure;
		const done = partners.answer(person, row, event.params.id, sent.output.answer);
		if (!done.ok) return sent.refuse('form', done.error);
		here(event);
	},
	withdraw: async (event) => {
		const { person, row } = requireOwnCaseToChange(event);
		const sent = await readValid(event.request, withdrawForm, { name: 'withdraw' });
		if (!sent.ok) return sent.failure;
		const done = partners.withdraw(person, row, event.params.id);
		if (!done.ok) return sent.refuse('form', done.error);
		here(event);
	}
};
