import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth';
import * as team from '$lib/server/partners/team';
import * as workers from '$lib/server/partners/workers';
import type { Actions, PageServerLoad } from './$types';

// Our admins add and deactivate any agency's partner workers.
function agencyOf(id: string) {
	const agency = workers.agency(id);
	if (!agency) error(404, 'not_found');
	return agency;
}

export const load: PageServerLoad = (event) => {
	requireStaff(event, 'admin');
	const agency = agencyOf(event.params.agency);
	return { agency: agency.name, workers: workers.list(agency.id) };
};

export const actions: Actions = {
	addWorker: (event) => {
		const admin = requireStaff(event, 'admin');
		return team.addWorker(event, admin, agencyOf(event.params.agency).id);
	},
	deactivateWorker: (event) => {
		const admin = requireStaff(event, 'admin');
		return team.deactivateWorker(event, admin, agencyOf(event.params.agency).id);
	}
};
