import * as v from 'valibot';
import { requireStaff, staff } from '$lib/server/auth';
import { resetSignInForm } from '$lib/server/auth/work-password';
import { readValid } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const e = (key: string) => `staff.admin.errors.${key}`;
const role = v.picklist(staff.staffRoles, e('role'));
// The account a row's buttons act on; a value that is not one is "not changed", like a stale row.
const accountId = v.pipe(v.string(e('notChanged')), v.maxLength(64, e('notChanged')));
const accountForm = v.object({ id: accountId });
const roleForm = v.object({ id: accountId, role: v.picklist(staff.staffRoles, e('notChanged')) });

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
	const admin = requireStaff(event, 'admin');
	return { accounts: staff.list(), roles: staff.staffRoles, me: admin.userId };
};

export const actions: Actions = {
	createAccount: async (event) => {
		const admin = requireStaff(event, 'admin');
		const sent = await readValid(event.request, createSchema, {
			name: 'createAccount',
			secret: ['password']
		});
		if (!sent.ok) return sent.failure;
		if ((await staff.create(admin, sent.output)) === 'emailTaken') {
			return sent.refuse('email', e('emailTaken'));
		}
		return { done: 'staff.admin.created' };
	},
	changeRole: async (event) => {
		const admin = requireStaff(event, 'admin');
		const sent = await readValid(event.request, roleForm, { name: 'changeRole' });
		if (!sent.ok) return sent.failure;
		if (!staff.setRole(admin, sent.output.id, sent.output.role)) {
			return sent.refuse('form', e('notChanged'));
		}
		return { done: 'staff.admin.updated' };
	},
	resetSignIn: async (event) => {
		const admin = requireStaff(event, 'admin');
		const sent = await readValid(event.request, resetSignInForm, {
			name: 'resetSignIn',
			secret: ['firstPassword']
		});
		if (!sent.ok) return sent.failure;
		const { account, firstPassword } = sent.output;
		if (!(await staff.resetStaffSignIn(admin, account, firstPassword))) {
			return sent.refuse('account', 'staff.resetSignIn.errors.notChanged');
		}
		return { form: 'resetSignIn' as const, done: 'staff.resetSignIn.done' };
	},
	deactivate: async (event) => {
		const admin = requireStaff(event, 'admin');
		const sent = await readValid(event.request, accountForm, { name: 'deactivate' });
		if (!sent.ok) return sent.failure;
		if (!staff.deactivate(admin, sent.output.id)) return sent.refuse('form', e('notChanged'));
		return { done: 'staff.admin.updated' };
	}
};
