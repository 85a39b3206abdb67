import { redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { requirePendingStaff, setSessionCookie, staff } from '$lib/server/auth';
import { readValid } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const wrongCode = 'staff.enrol.errors.code';
const enrolForm = v.object({
	code: v.pipe(v.string(wrongCode), v.trim(), v.nonEmpty(wrongCode), v.maxLength(10, wrongCode))
});

export const load: PageServerLoad = async (event) => {
	const user = requirePendingStaff(event);
	const enrolment = await staff.enrolment(user);
	if (enrolment) return enrolment;
	// Straight after the enrolment action the page shows the recovery codes, nothing else.
	if (event.request.method === 'POST') return { svg: '', secret: '' };
	redirect(303, '/staff/verify');
};

export const actions: Actions = {
	default: async (event) => {
		const user = requirePendingStaff(event);
		// An enrolled account has nothing to enrol: it proves its second factor at /staff/verify,
		// and its secret is never sent back, not even beside an error.
		if (staff.isEnrolled(user.userId)) redirect(303, '/staff/verify');
		const sent = await readValid(event.request, enrolForm, { secret: ['code'] });
		if (!sent.ok) return sent.failure;
		const codes = await staff.confirmEnrolment(user, sent.output.code);
		if (!codes) {
			const enrolment = await staff.enrolment(user);
			if (!enrolment) redirect(303, '/staff/verify');
			return sent.refuse('code', wrongCode);
		}
		// The first code proves the app works: signing in completes under a new session id.
		await setSessionCookie(event, staff.completeSignIn(user));
		return { codes };
	}
};
