import { error, json } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import * as messages from '$lib/server/messages';
import type { RequestEvent, RequestHandler } from './$types';

function openCase(event: RequestEvent) {
	const user = requireStaff(event);
	const found = cases.access.find({ userId: user.userId, role: user.role }, event.params.reference);
	if (!found.ok) error(found.reason === 'forbidden' ? 403 : 404, found.reason);
	return { user, row: found.row };
}

/**
 * The person's messages since `?after=`, for the open conversation; reading them is a POST. A
 * poll that finds nothing new reads no case content and writes no row (the page load
 * that opened the conversation wrote one); a poll that returns messages is a read of the case
 * and writes a `case_viewed` row (DESIGN rule 5), whatever `after` it asked from. Polling is not
 * activity for the idle timeout (see the session hook).
 */
export const GET: RequestHandler = (event) => {
	const { user, row } = openCase(event);
	const updates = messages.updates(row.id, event.url.searchParams.get('after'), 'staff');
	if (updates.messages.length > 0) {
		cases.access.recordView({ userId: user.userId, role: user.role }, row.id);
	}
	return json(updates);
};

/**
 * The conversation is on screen with what the last GET brought: the person's messages are read,
 * up to the newest shown (`?upTo=`), if the reader is the one who answers them (`readsFor`).
 */
export const POST: RequestHandler = (event) => {
	const { user, row } = openCase(event);
	if (messages.readsFor(user.userId, row)) {
		messages.markReadUpTo(row.id, 'staff', event.url.searchParams.get('upTo'));
	}
	return json({ unread: messages.unread(row.id, 'staff') });
};
