import * as v from 'valibot';
import { needChoices } from '$lib/referral/steps';
import { requireStaff } from '$lib/server/auth';
import { readValid } from '$lib/server/forms';
import * as partners from '$lib/server/partners';
import type { Actions, PageServerLoad } from './$types';

const e = (key: string) => `staff.partnersAdmin.errors.${key}`;
const addForm = v.object({
	name: v.pipe(v.string(e('name')), v.trim(), v.nonEmpty(e('name')), v.maxLength(100, e('name'))),
	does: v.pipe(v.string(e('does')), v.trim(), v.nonEmpty(e('does')), v.maxLength(300, e('does'))),
	helpsWith: v.pipe(
		v.array(v.picklist(needChoices, e('helpsWith')), e('helpsWith')),
		v.minLength(1, e('helpsWith')),
		// A box ticked twice (an edited form) is refused, as the referral's lists refuse repeats.
		v.check((list) => new Set(list).size === list.length, e('helpsWith'))
	)
});
// A row's button: a stale or edited row is "not changed", beside the whole form.
const notChanged = 'staff.errors.notChanged';
const activeForm = v.object({
	id: v.pipe(v.string(notChanged), v.maxLength(64, notChanged)),
	active: v.picklist(['yes', 'no'], notChanged)
});

export const load: PageServerLoad = (event) => {
	requireStaff(event, 'admin');
	return { agencies: partners.allAgencies(), needs: [...needChoices] };
};

export const actions: Actions = {
	addAgency: async (event) => {
		const admin = requireStaff(event, 'admin');
		const sent = await readValid(event.request, addForm, { name: 'addAgency' });
		if (!sent.ok) return sent.failure;
		const added = partners.addAgency({ userId: admin.userId, role: admin.role }, sent.output);
		if (!added.ok) return sent.refuse(added.field, added.error);
		return { done: 'staff.partnersAdmin.added' };
	},
	setAgencyActive: async (event) => {
		const admin = requireStaff(event, 'admin');
		const sent = await readValid(event.request, activeForm, { name: 'setAgencyActive' });
		if (!sent.ok) return sent.failure;
		const { id, active } = sent.output;
		const done = partners.setActive(
			{ userId: admin.userId, role: admin.role },
			id,
			active === 'yes'
		);
		if (!done.ok) return sent.refuse('form', done.error);
		return { done: 'staff.partnersAdmin.updated' };
	}
};
