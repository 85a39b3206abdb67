import { json } from '@sveltejs/kit';
import * as messages from '$lib/server/messages';
import { requireOwnCase } from '$lib/server/portal';
import type { RequestEvent, RequestHandler } from './$types';

const ownCase = (event: RequestEvent): string => requireOwnCase(event).row.id;

/**
 * New messages since `after` (an ISO time) and the unread count, for the page to show without a
 * reload; a GET changes nothing. Polling does not count as activity: the session hook leaves
 * this path out of the idle clock.
 */
export const GET: RequestHandler = (event) => {
	const caseId = ownCase(event);
	const afterText = event.url.searchParams.get('after');
	const after = afterText && !Number.isNaN(Date.parse(afterText)) ? new Date(afterText) : null;
	const fresh = after ? messages.conversation(caseId, after) : [];
	return json({
		messages: fresh.map((m) => ({ ...m, at: m.at.toISOString(), authorRole: undefined })),
		unread: messages.unread(caseId, 'person')
	});
};

/** The conversation is on screen with what the last GET brought: staff messages are now read. */
export const POST: RequestHandler = (event) => {
	const caseId = ownCase(event);
	messages.markRead(caseId, 'person');
	return json({ unread: messages.unread(caseId, 'person') });
};
