import { error, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import type { Actor } from '$lib/server/cases/access';
import { readValid } from '$lib/server/forms';
import * as exports from '$lib/server/lifecycle/export';
import { viewCase } from '../case';
import type { Actions, PageServerLoad } from './$types';

// A subject access request: supervisors and admins only, like the audit trail. The form asks for
// the decision on staff notes; nothing is produced until that decision is in the audit trail.
export const load: PageServerLoad = (event) => {
	const { details } = viewCase(event, 'supervisor');
	return { details, oversees: true, reasonMaxLength: exports.reasonMaxLength };
};

export const actions: Actions = {
	produce: async (event) => {
		const user = requireStaff(event, 'supervisor');
		const actor: Actor = { userId: user.userId, role: user.role };
		const found = cases.access.find(actor, event.params.reference);
		if (!found.ok) error(found.reason === 'forbidden' ? 403 : 404, found.reason);
		const sent = await readValid(event.request, exports.exportForm, { name: 'produce' });
		if (!sent.ok) return sent.failure;
		const made = exports.produce(actor, found.row, sent.output);
		// The file is fetched under the decision just recorded, by this supervisor, within minutes:
		// no address serves an export without its own audit row.
		if (sent.output.format === 'json') {
			redirect(
				303,
				`/staff/cases/${found.row.reference}/export/download?decision=${made.decisionId}`
			);
		}
		return { form: 'produce' as const, export: made.export };
	}
};
