import * as v from 'valibot';
import { requireStaff } from '$lib/server/auth';
import * as sharing from '$lib/server/partners/sharing';
import type { PageServerLoad } from './$types';

const query = v.object({ after: v.optional(v.pipe(v.string(), v.maxLength(200))) });

// Supervisors and admins: every sharing with a partner agency without the person's consent.
export const load: PageServerLoad = (event) => {
	const user = requireStaff(event, 'supervisor');
	const parsed = v.safeParse(query, Object.fromEntries(event.url.searchParams));
	const after = parsed.success ? parsed.output.after : undefined;
	const page = sharing.withoutConsent({ userId: user.userId, role: user.role }, after);
	return {
		rows: page.rows,
		// Plain links, so paging works without JavaScript.
		paging: {
			next: page.next ? `?after=${page.next}` : null,
			first: after ? event.url.pathname : null
		}
	};
};
