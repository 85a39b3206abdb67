import { fail } from '@sveltejs/kit';
import * as cases from '$lib/server/cases';
import { parseForm, readForm } from '$lib/server/forms';
import * as messages from '$lib/server/messages';
import { requireOwnCase, requireOwnCaseToChange } from '$lib/server/portal';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { row } = requireOwnCase(event);
	const caseId = row.id;
	const thread = messages.conversation(caseId);
	// Opening the conversation reads what the named contact wrote.
	messages.markRead(caseId, 'person');
	return {
		messages: thread,
		namedContact: cases.person.namedContact(row),
		// A closed case is read-only: the page says how to reach the service instead of a form.
		closed: messages.readOnly(caseId),
		maxLength: messages.maxLength
	};
};

export const actions: Actions = {
	send: async (event) => {
		const { person, row } = requireOwnCaseToChange(event);
		const parsed = parseForm(await readForm(event.request), messages.messageForm, ['message']);
		if (!parsed.ok) {
			return fail(parsed.status, { errors: parsed.errors, values: parsed.values });
		}
		const sent = messages.send(row.id, 'person', person.userId, parsed.output.message);
		if (!sent.ok) {
			// A closed case shows no message field: the summary links to how to reach us instead.
			if (sent.reason === 'closed')
				return fail(400, { errors: { closed: sent.error }, values: {} });
			return fail(429, { errors: { message: sent.error }, values: parsed.values });
		}
		return { sent: true };
	}
};
