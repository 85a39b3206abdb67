import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import { requireStaff } from '$lib/server/auth';
import { readValid } from '$lib/server/forms';
import * as partners from '$lib/server/partners';
import * as team from '$lib/server/partners/team';
import * as workers from '$lib/server/partners/workers';
import type { Actions, PageServerLoad } from './$types';

const inboxError = 'staff.partnersAdmin.errors.inbox';
// Blank clears the inbox: its workers then hear of new referrals only in /partner.
const inboxForm = v.object({
	inboxEmail: v.pipe(
		v.string(inboxError),
		v.trim(),
		v.toLowerCase(),
		v.maxLength(254, inboxError),
		v.union([v.literal(''), v.pipe(v.string(), v.email(inboxError))], inboxError)
	)
});

// Our admins add and deactivate any agency's partner workers, and set where its notices go.
function agencyOf(id: string) {
	const agency = workers.agency(id);
	if (!agency) error(404, 'not_found');
	return agency;
}

export const load: PageServerLoad = (event) => {
	requireStaff(event, 'admin');
	const agency = agencyOf(event.params.agency);
	return {
		agency: agency.name,
		offered: agency.active,
		inboxEmail: agency.inboxEmail ?? '',
		workers: workers.list(agency.id)
	};
};

export const actions: Actions = {
	setInbox: async (event) => {
		const admin = requireStaff(event, 'admin');
		const id = agencyOf(event.params.agency).id;
		const sent = await readValid(event.request, inboxForm, { name: 'setInbox' });
		if (!sent.ok) return sent.failure;
		const inbox = sent.output.inboxEmail || null;
		const done = partners.setInbox({ userId: admin.userId, role: admin.role }, id, inbox);
		if (!done.ok) return sent.refuse('form', done.error);
		return { done: inbox ? 'staff.partnersAdmin.inboxSet' : 'staff.partnersAdmin.inboxCleared' };
	},
	addWorker: (event) => {
		const admin = requireStaff(event, 'admin');
		return team.addWorker(event, admin, agencyOf(event.params.agency).id);
	},
	deactivateWorker: (event) => {
		const admin = requireStaff(event, 'admin');
		return team.deactivateWorker(event, admin, agencyOf(event.params.agency).id);
	},
	resetWorker: (event) => {
		const admin = requireStaff(event, 'admin');
		return team.resetWorker(event, admin, agencyOf(event.params.agency).id);
	}
};
