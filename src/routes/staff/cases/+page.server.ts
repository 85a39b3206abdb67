import { fail, redirect } from '@sveltejs/kit';
import { crimeTypes, needChoices, preferredLanguages } from '$lib/referral/steps';
import { requireStaff } from '$lib/server/auth';
import * as cases from '$lib/server/cases';
import { oversees } from '$lib/server/cases/access';
import { readFilters, searchMaxLength } from '$lib/server/cases/schemas';
import { openSearch, sealSearch } from '$lib/server/cases/search-token';
import { readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const user = requireStaff(event);
	const actor = { userId: user.userId, role: user.role };
	// Supervisors start at the triage queue; a caseworker starts at their open cases.
	const defaults = { status: oversees(actor) ? cases.queue.triage : cases.queue.open };
	// What was typed in the search box travels sealed (`search`), never as itself: see
	// search-token.ts. A `q` in the address is not read.
	const chosen = readFilters(event.url.searchParams);
	delete chosen.q;
	const search = openSearch(event.url.searchParams.get('search'), user.userId);
	const filters = { ...defaults, ...chosen, ...(typeof search === 'object' ? search : {}) };
	const result = cases.queue.list(actor, filters);
	// Plain links, so paging works without JavaScript: the same filters, another `after`.
	const pageHref = (after: string | null) => {
		const params = new URLSearchParams(event.url.searchParams);
		// Never a name in a link, even from an old address that had one; no ended search either.
		params.delete('q');
		if (search === 'ended') params.delete('search');
		params.delete('after');
		if (after) params.set('after', after);
		const query = params.toString();
		return query ? `?${query}` : event.url.pathname;
	};
	return {
		filters,
		searchEnded: search === 'ended',
		searchMaxLength,
		result,
		paging: {
			next: result.next ? pageHref(result.next) : null,
			first: filters.after ? pageHref(null) : null
		},
		oversees: oversees(actor),
		choices: {
			statuses: [cases.queue.triage, cases.queue.open, ...cases.statuses],
			crimeTypes: [...crimeTypes],
			needs: [...needChoices],
			sources: cases.queue.sourceChoices,
			languages: preferredLanguages.map((l) => ({ code: l.code, name: l.name })),
			caseworkers: oversees(actor) ? cases.record.namedContactChoices() : []
		}
	};
};

export const actions: Actions = {
	/** The filters, posted: back to the list with them in its address, the search sealed. */
	search: async (event) => {
		const user = requireStaff(event);
		const body = await readForm(event.request);
		if (!body.ok) return fail(body.status, { errors: { form: body.error } });
		const posted = new URLSearchParams();
		for (const [name, value] of body.form) {
			if (typeof value === 'string') posted.append(name, value);
		}
		const typed = (posted.get('q') ?? '').trim();
		if (typed.length > searchMaxLength) {
			return fail(400, { q: typed, errors: { q: 'staff.errors.searchTooLong' } });
		}
		posted.delete('q');
		// A new search starts at its first page.
		posted.delete('after');
		const chosen = readFilters(posted);
		const params = new URLSearchParams();
		for (const [name, value] of Object.entries(chosen)) if (value) params.set(name, value);
		if (typed) params.set('search', sealSearch(typed, user.userId));
		const query = params.toString();
		redirect(303, query ? `${event.url.pathname}?${query}` : event.url.pathname);
	}
};
