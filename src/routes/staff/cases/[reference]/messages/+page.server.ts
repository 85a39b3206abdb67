import { oversees } from '$lib/server/cases/access';
import * as messages from '$lib/server/messages';
import { act, viewCase } from '../case';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { actor, details } = viewCase(event);
	const thread = messages.conversation(details.id);
	// Opening the conversation reads what the person wrote.
	messages.markRead(details.id, 'staff');
	return { details, oversees: oversees(actor), messages: thread, maxLength: messages.maxLength };
};

export const actions: Actions = {
	send: (event) =>
		act(
			event,
			messages.messageForm,
			{ name: 'send', done: 'staff.done.send' },
			(actor, row, input) => {
				// A closed case is refused inside `send`, for both sides.
				const sent = messages.send(row.id, 'staff', actor.userId, input.message);
				return sent.ok ? { ok: true } : sent;
			}
		)
};
