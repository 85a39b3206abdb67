import * as partners from '$lib/server/partners';
import { oversees } from '$lib/server/cases/access';
import { partnerForm, partnerStatusForm } from '$lib/server/cases/schemas';
import { partnerReferralStatuses } from '$lib/server/db/schema';
import { act, viewCase } from '../case';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { actor, details } = viewCase(event);
	return {
		details,
		oversees: oversees(actor),
		agencies: partners.agencies(),
		referrals: partners.forCase(details.id),
		statuses: [...partnerReferralStatuses]
	};
};

export const actions: Actions = {
	refer: (event) =>
		act(event, 'refer', partnerForm, ['agency', 'reason'], (actor, row, input) =>
			partners.refer(actor, row, input.agency, input.reason)
		),
	update: (event) =>
		act(event, 'update', partnerStatusForm, ['referral', 'status'], (actor, row, input) =>
			partners.setStatus(actor, row, input.referral, input.status)
		)
};
