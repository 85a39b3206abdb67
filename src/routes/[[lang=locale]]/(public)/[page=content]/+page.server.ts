import { error } from '@sveltejs/kit';
import type { ContentPage } from '$lib/content/pages';
import { pseudoIf, renderContent } from '$lib/server/content';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, params }) => {
	const page = params.page as ContentPage;
	const html = pseudoIf(locals.pseudo, renderContent(locals.lang, page));
	if (!html) error(404, 'not-found');
	return { page, html };
};
