import { error } from '@sveltejs/kit';
import { courtPages, type CourtPage } from '$lib/content/pages';
import { pseudoIf, renderContent } from '$lib/server/content';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, params }) => {
	const page = params.page as CourtPage;
	const html = pseudoIf(locals.pseudo, renderContent(locals.lang, `court-${page}`));
	if (!html) error(404, 'not-found');
	const next = courtPages[courtPages.indexOf(page) + 1] ?? null;
	return { page, html, next };
};
