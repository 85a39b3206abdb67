import { error, type RequestEvent } from '@sveltejs/kit';
import { requirePartner } from '$lib/server/auth';
import * as team from '$lib/server/partners/team';
import * as workers from '$lib/server/partners/workers';
import type { Actions, PageServerLoad } from './$types';

/** Only the agency's partner-admin manages its team, and only its own. */
function requirePartnerAdmin(event: RequestEvent) {
	const partner = requirePartner(event);
	if (!partner.partnerAdmin) error(403, 'forbidden');
	return partner;
}

export const load: PageServerLoad = (event) => {
	const partner = requirePartnerAdmin(event);
	return {
		agency: workers.agency(partner.agencyId)?.name ?? '',
		workers: workers.list(partner.agencyId),
		me: partner.userId
	};
};

export const actions: Actions = {
	addWorker: (event) => {
		const partner = requirePartnerAdmin(event);
		return team.addWorker(event, partner, partner.agencyId);
	},
	deactivateWorker: (event) => {
		const partner = requirePartnerAdmin(event);
		return team.deactivateWorker(event, partner, partner.agencyId);
	},
	resetWorker: (event) => {
		const partner = requirePartnerAdmin(event);
		return team.resetWorker(event, partner, partner.agencyId);
	}
};
