import { requireStaff } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import { oversees } from '$lib/server/cases/access';
import * as messages from '$lib/server/messages';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const user = requireStaff(event);
	const actor = { userId: user.userId, role: user.role };
	return {
		role: user.role,
		userId: user.userId,
		// Everyone with a caseload sees it first; supervisors and admins also see the whole team.
		caseload: cases.queue.list(actor, { caseworker: user.userId, status: cases.queue.open }),
		oversight: oversees(actor) ? cases.queue.oversight(actor) : null,
		// A caseworker's own unanswered messages; a supervisor sees the whole team's.
		unanswered: messages.unanswered(oversees(actor) ? null : user.userId)
	};
};
