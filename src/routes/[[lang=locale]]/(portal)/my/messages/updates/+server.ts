import { json } from '@sveltejs/kit';
import * as messages from '$lib/server/messages';
import { requireOwnCase } from '$lib/server/portal';
import type { RequestHandler } from './$types';

/**
 * New messages since `?after=` and the unread count, for the page to show without a reload; a
 * GET changes nothing. Polling does not count as activity: the session hook leaves this path out
 * of the idle clock.
 */
export const GET: RequestHandler = (event) =>
	json(
		messages.updates(requireOwnCase(event).row.id, event.url.searchParams.get('after'), 'person')
	);

/** The conversation is on screen with what the last GET brought: staff messages are now read. */
export const POST: RequestHandler = (event) => {
	const caseId = requireOwnCase(event).row.id;
	messages.markReadUpTo(caseId, 'person', event.url.searchParams.get('upTo'));
	return json({ unread: messages.unread(caseId, 'person') });
};
