import * as cases from '$lib/server/cases';
import { readValid } from '$lib/server/forms';
import * as messages from '$lib/server/messages';
import { requireOwnCase, requireOwnCaseToChange } from '$lib/server/portal';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { row } = requireOwnCase(event);
	const caseId = row.id;
	// The latest messages, or an earlier page ("Earlier messages", `?before=`).
	const shown = messages.page(caseId, event.url.searchParams.get('before'));
	// The latest page reads what the named contact wrote up to its newest message, earlier
	// pages included: those only hold what is older.
	const newest = shown.messages.at(-1);
	if (shown.latest && newest) messages.markRead(caseId, 'person', newest.at);
	return {
		...shown,
		namedContact: cases.person.namedContact(row),
		// A closed case is read-only: the page says how to reach the service instead of a form.
		closed: messages.readOnly(caseId),
		maxLength: messages.maxLength
	};
};

export const actions: Actions = {
	send: async (event) => {
		const { person, row } = requireOwnCaseToChange(event);
		const sent = await readValid(event.request, messages.messageForm);
		if (!sent.ok) return sent.failure;
		const done = messages.send(row.id, 'person', person.userId, sent.output.message);
		if (!done.ok) {
			// A closed case shows no message field: the summary links to how to reach us instead.
			if (done.reason === 'closed') return sent.refuse('form', done.error);
			return sent.refuse('message', done.error, { status: 429 });
		}
		return { sent: true };
	}
};
