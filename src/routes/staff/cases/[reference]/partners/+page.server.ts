import * as partners from '$lib/server/partners';
import { oversees } from '$lib/server/cases/access';
import { partnerForm, partnerStatusForm } from '$lib/server/cases/schemas';
import { act, viewCase } from '../case';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { actor, details } = viewCase(event);
	return {
		details,
		oversees: oversees(actor),
		agencies: partners.agencies(),
		referrals: partners.forCase(details.id),
		statuses: [...partners.referralStatuses]
	};
};

export const actions: Actions = {
	refer: (event) =>
		act(event, partnerForm, { name: 'refer', done: 'staff.done.refer' }, (actor, row, input) =>
			partners.refer(actor, row, input.agency, input.reason)
		),
	changeReferralStatus: (event) =>
		act(
			event,
			partnerStatusForm,
			{ name: 'changeReferralStatus', done: 'staff.done.update' },
			(actor, row, input) => partners.setStatus(actor, row, input.referral, input.status)
		)
};
