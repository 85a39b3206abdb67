import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import type { Actor } from '$lib/server/cases/access';
import * as exports from '$lib/server/lifecycle/export';
import type { RequestHandler } from './$types';

// The JSON file of an export, under a decision the same supervisor recorded moments ago
// (`?decision=<audit row id>`), each copy recorded; anything else is refused and nothing is produced.
export const GET: RequestHandler = (event) => {
	const user = requireStaff(event, 'supervisor');
	const actor: Actor = { userId: user.userId, role: user.role };
	const found = cases.access.find(actor, event.params.reference);
	if (!found.ok) error(found.reason === 'forbidden' ? 403 : 404, found.reason);
	const id = event.url.searchParams.get('decision') ?? '';
	const made = /^\d{1,15}$/.test(id) ? exports.download(actor, found.row, Number(id)) : null;
	if (!made) error(404, 'not_found');
	return new Response(exports.asJson(made), {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="${exports.fileName(made)}"`,
			'Cache-Control': 'no-store'
		}
	});
};
