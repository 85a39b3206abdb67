import { error, json } from '@sveltejs/kit';
import { requirePerson } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import * as messages from '$lib/server/messages';
import type { RequestEvent, RequestHandler } from './$types';

function ownCase(event: RequestEvent): string {
	const person = requirePerson(event);
	const caseId = cases.person.caseIdOf(person.userId);
	if (!caseId) error(404, 'not-found');
	return caseId;
}

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
