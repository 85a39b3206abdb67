import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { needChoices } from '$lib/referral/steps';
import { requireStaff } from '$lib/server/auth';
import { parseForm, readForm } from '$lib/server/forms';
import * as partners from '$lib/server/partners';
import type { Actions, PageServerLoad } from './$types';

const e = (key: string) => `staff.partnersAdmin.errors.${key}`;
const addForm = v.object({
	name: v.pipe(v.string(e('name')), v.trim(), v.nonEmpty(e('name')), v.maxLength(100, e('name'))),
	does: v.pipe(v.string(e('does')), v.trim(), v.nonEmpty(e('does')), v.maxLength(300, e('does'))),
	helpsWith: v.pipe(
		v.array(v.picklist(needChoices, e('helpsWith')), e('helpsWith')),
		v.minLength(1, e('helpsWith'))
	)
});
const toggleForm = v.object({
	id: v.pipe(v.string(), v.maxLength(64)),
	active: v.picklist(['yes', 'no'])
});

export const load: PageServerLoad = (event) => {
	requireStaff(event, 'admin');
	return { agencies: partners.allAgencies(), needs: [...needChoices] };
};

export const actions: Actions = {
	add: async (event) => {
		const admin = requireStaff(event, 'admin');
		const fields = ['name', 'does', 'helpsWith'];
		const parsed = parseForm(await readForm(event.request), addForm, fields, ['helpsWith']);
		if (!parsed.ok) return fail(parsed.status, { errors: parsed.errors, values: parsed.values });
		const added = partners.addAgency({ userId: admin.userId, role: admin.role }, parsed.output);
		if (!added.ok) {
			return fail(400, { errors: { [added.field]: added.error }, values: parsed.values });
		}
		return { done: 'staff.partnersAdmin.added' };
	},
	toggle: async (event) => {
		const admin = requireStaff(event, 'admin');
		const body = await readForm(event.request);
		if (!body.ok) return fail(body.status, { errors: { form: body.error }, values: {} });
		const parsed = parseForm(body, toggleForm, ['id', 'active']);
		if (!parsed.ok) return fail(400, { errors: { form: 'staff.errors.notChanged' }, values: {} });
		const { id, active } = parsed.output;
		const done = partners.setActive(
			{ userId: admin.userId, role: admin.role },
			id,
			active === 'yes'
		);
		if (!done.ok) return fail(400, { errors: { form: done.error }, values: {} });
		return { done: 'staff.partnersAdmin.updated' };
	}
};
