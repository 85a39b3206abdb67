import { requireStaff } from '$lib/server/auth';
import * as translations from '$lib/server/translations/review';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireStaff(event, 'admin');
	return { languages: translations.languageReviews() };
};
