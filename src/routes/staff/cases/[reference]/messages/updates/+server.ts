import { error, json } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import * as messages from '$lib/server/messages';
import type { RequestHandler } from './$types';

/**
 * The person's messages since `after`, for the open conversation; with `read=1` they are marked
 * read. The page load that opened the conversation wrote the audit row; polling it is not a new
 * view, and it is not activity for the idle timeout either (see the session hook).
 */
export const GET: RequestHandler = (event) => {
	const user = requireStaff(event);
	const found = cases.access.find({ userId: user.userId, role: user.role }, event.params.reference);
	if (!found.ok) error(found.reason === 'forbidden' ? 403 : 404, found.reason);
	const afterText = event.url.searchParams.get('after');
	const after = afterText && !Number.isNaN(Date.parse(afterText)) ? new Date(afterText) : null;
	const fresh = after ? messages.conversation(found.row.id, after) : [];
	if (event.url.searchParams.get('read') === '1' && fresh.length > 0) {
		messages.markRead(found.row.id, 'staff');
	}
	return json({
		messages: fresh.map((m) => ({ ...m, at: m.at.toISOString() })),
		unread: messages.unread(found.row.id, 'staff')
	});
};
