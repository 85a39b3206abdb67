import * as referrals from '$lib/server/referrals';
import * as draftCookie from '$lib/server/referrals/draft-cookie';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ cookies, setHeaders }) => {
	// The reference is for this person's eyes only: never kept by a cache.
	setHeaders({ 'Cache-Control': 'no-store' });
	return { confirmation: referrals.confirmation(draftCookie.read(cookies)) ?? null };
};
