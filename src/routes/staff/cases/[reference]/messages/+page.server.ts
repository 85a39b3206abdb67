import { oversees } from '$lib/server/cases/access';
import * as messages from '$lib/server/messages';
import { act, viewCase } from '../case';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { actor, row, details } = viewCase(event);
	// The latest messages, or an earlier page ("Earlier messages", `?before=`): either is a
	// view of the case, audited by `viewCase`.
	const shown = messages.page(details.id, event.url.searchParams.get('before'));
	// The latest page reads what the person wrote up to its newest message, earlier pages
	// included: those only hold what is older.
	const newest = shown.messages.at(-1);
	if (shown.latest && newest && messages.readsFor(actor.userId, row)) {
		messages.markRead(details.id, 'staff', newest.at);
	}
	return { details, oversees: oversees(actor), ...shown, maxLength: messages.maxLength };
};

export const actions: Actions = {
	send: (event) =>
		act(
			event,
			messages.messageForm,
			{ name: 'send', done: 'staff.done.send', written: { message: 'staff.messages.label' } },
			(actor, row, input) => {
				// A closed case is refused inside `send`, for both sides.
				const sent = messages.send(row.id, 'staff', actor.userId, input.message);
				return sent.ok ? { ok: true } : sent;
			}
		)
};
