import { error } from '@sveltejs/kit';
import { oversees } from '$lib/server/cases/access';
import * as conversation from '$lib/server/partners/conversation';
import * as work from '$lib/server/partners/work';
import { act, viewCase } from '../../case';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	// The case's own rule: its named contact, or a supervisor or admin; audited as a view.
	const { actor, details } = viewCase(event);
	const referral = work.forStaff(details.id, event.params.id);
	// A referral of another case, or one never shared, has no detail page here.
	const shown =
		referral &&
		conversation.forStaff(actor, details.id, referral.id, event.url.searchParams.get('before'));
	if (!referral || !shown) error(404, 'not_found');
	return {
		details,
		oversees: oversees(actor),
		referral,
		conversation: shown,
		open: conversation.isOpen(referral.status)
	};
};

export const actions: Actions = {
	send: (event) =>
		act(
			event,
			conversation.messageForm,
			{
				name: 'send',
				done: 'staff.partnerArea.done.send',
				written: { message: 'staff.unsaved.partnerMessage' }
			},
			(actor, row, input) =>
				conversation.send('staff', actor, row.id, event.params.id ?? '', input.message)
		)
};
