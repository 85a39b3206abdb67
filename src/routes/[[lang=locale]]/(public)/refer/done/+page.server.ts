import { redirect } from '@sveltejs/kit';
import { localizePath } from '$lib/i18n/locales';
import { database, isLocked, withoutWaiting } from '$lib/server/db';
import * as referrals from '$lib/server/referrals';
import * as draftCookie from '$lib/server/referrals/draft-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ cookies, setHeaders }) => {
	// The reference is for this person's eyes only: never kept by a cache.
	setHeaders({ 'Cache-Control': 'no-store' });
	return { confirmation: referrals.confirmation(draftCookie.read(cookies)) ?? null };
};

export const actions: Actions = {
	/**
	 * "I have written it down": the reference leaves this browser now, not when the draft's hour
	 * is up. Someone who picks up the phone or the shared computer next finds the page says the
	 * request was sent or expired, and no reference. The referral itself is untouched.
	 */
	forget: ({ cookies, locals, setHeaders }) => {
		const token = draftCookie.read(cookies);
		// Only a sent draft, whose answers have already left it: this page is its one use. An
		// unsent one (another tab, a referral begun again) keeps what the person has typed.
		if (referrals.drafts.find(token)?.caseId) {
			// The cookie is what shows the reference: it goes whatever happens to the row.
			draftCookie.clear(cookies);
			// The HTTP cache (in Chromium the back/forward cache too): Back fetches the page again.
			setHeaders({ 'Clear-Site-Data': '"cache"' });
			// Hiding it must not wait on a script holding the database, as the quick exit does
			// not: the row left then has no cookie pointing to it and is swept within the hour.
			try {
				withoutWaiting(database(), () => referrals.drafts.discard(token));
			} catch (error) {
				if (!isLocked(error)) throw error;
			}
		}
		redirect(303, localizePath('/refer/done', locals.lang));
	}
};
