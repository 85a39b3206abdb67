import * as cases from '$lib/server/cases';
import * as messages from '$lib/server/messages';
import { requireOwnCase } from '$lib/server/portal';
import type { LayoutServerLoad } from './$types';

// Each page's own load checks the session too: a layout load does not run on every request.
// Both read the case through requireOwnCase, which reads it once per request.
export const load: LayoutServerLoad = (event) => {
	// Run again on every page the person opens (SvelteKit reruns a load whose address it read):
	// each request extends the session, so the countdown (SessionTimeout.svelte) must start again
	// from what is left now, and the unread count is fresh too.
	void event.url.href;
	const { person, row } = requireOwnCase(event);
	return {
		expiresInMs: person.expiresAt - Date.now(),
		unread: messages.unread(row.id, 'person'),
		// The court page is offered once the case has a hearing.
		hasHearing: cases.person.hasHearing(row)
	};
};
