import { error, json } from '@sveltejs/kit';
import { requirePerson } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import * as messages from '$lib/server/messages';
import type { RequestHandler } from './$types';

/**
 * New messages since `after` (an ISO time) and the unread count, for the page to show without a
 * reload. With `read=1` (the conversation is on screen) what arrives is marked read. Polling
 * does not count as activity: the session hook leaves this path out of the idle clock.
 */
export const GET: RequestHandler = (event) => {
	const person = requirePerson(event);
	const caseId = cases.person.caseIdOf(person.userId);
	if (!caseId) error(404, 'not-found');
	const afterText = event.url.searchParams.get('after');
	const after = afterText && !Number.isNaN(Date.parse(afterText)) ? new Date(afterText) : null;
	const fresh = after ? messages.conversation(caseId, after) : [];
	if (event.url.searchParams.get('read') === '1' && fresh.length > 0) {
		messages.markRead(caseId, 'person');
	}
	return json({
		messages: fresh.map((m) => ({ ...m, at: m.at.toISOString(), authorRole: undefined })),
		unread: messages.unread(caseId, 'person')
	});
};
