import { redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { issueCookie, requirePendingStaff, staff } from '$lib/server/auth';
import { readValid } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const wrongCode = 'staff.verify.errors.code';
// A code from the app (six digits) or a recovery code.
const verifyForm = v.object({
	code: v.pipe(v.string(wrongCode), v.nonEmpty(wrongCode), v.maxLength(40, wrongCode))
});

export const load: PageServerLoad = (event) => {
	const user = requirePendingStaff(event);
	if (!staff.isEnrolled(user.userId)) redirect(303, '/staff/enrol');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requirePendingStaff(event);
		const sent = await readValid(event.request, verifyForm, { secret: ['code'] });
		if (!sent.ok) return sent.failure;
		if (!(await staff.verifySecondFactor(user, sent.output.code, event.getClientAddress()))) {
			return sent.refuse('code', wrongCode);
		}
		return issueCookie(event, staff.completeSignIn(user), '/staff');
	}
};
