import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { requireStaff, staff } from '$lib/server/auth';
import { fieldErrors, formObject, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const e = (key: string) => `staff.admin.errors.${key}`;
const role = v.picklist(staff.staffRoles, e('role'));

const createSchema = v.object({
	email: v.pipe(v.string(e('email')), v.trim(), v.maxLength(254, e('email')), v.email(e('email'))),
	name: v.pipe(v.string(e('name')), v.trim(), v.nonEmpty(e('name')), v.maxLength(100, e('name'))),
	role,
	password: v.pipe(
		v.string(e('password')),
		v.minLength(staff.passwordMinLength, e('password')),
		v.maxLength(256, e('password'))
	)
});

export const load: PageServerLoad = (event) => {
	requireStaff(event, 'admin');
	return { accounts: staff.list(), roles: staff.staffRoles };
};

export const actions: Actions = {
	create: async (event) => {
		const admin = requireStaff(event, 'admin');
		const body = await readForm(event.request);
		if (!body.ok) return fail(body.status, { errors: { form: body.error } });
		const input = formObject(body.form, ['email', 'name', 'role', 'password']);
		const parsed = v.safeParse(createSchema, input);
		const values = { email: String(input.email ?? ''), name: String(input.name ?? '') };
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.issues) });
		if ((await staff.create(admin, parsed.output)) === 'emailTaken') {
			return fail(400, { values, errors: { email: e('emailTaken') } });
		}
		return { done: 'staff.admin.created' };
	},
	setRole: async (event) => {
		const admin = requireStaff(event, 'admin');
		const body = await readForm(event.request);
		if (!body.ok) return fail(body.status, { errors: { form: body.error } });
		const parsed = v.safeParse(
			v.object({ id: v.string(), role }),
			formObject(body.form, ['id', 'role'])
		);
		if (!parsed.success || !staff.setRole(admin, parsed.output.id, parsed.output.role)) {
			return fail(400, { errors: { accounts: e('notChanged') } });
		}
		return { done: 'staff.admin.updated' };
	},
	deactivate: async (event) => {
		const admin = requireStaff(event, 'admin');
		const body = await readForm(event.request);
		if (!body.ok) return fail(body.status, { errors: { form: body.error } });
		const id = String(body.form.get('id') ?? '');
		if (!staff.deactivate(admin, id)) return fail(400, { errors: { accounts: e('notChanged') } });
		return { done: 'staff.admin.updated' };
	}
};
