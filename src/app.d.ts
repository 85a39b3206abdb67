import type { Translate } from '$lib/i18n';
import type { Locale } from '$lib/i18n/locales';
import type { SignedIn } from '$lib/server/auth/sessions';

declare global {
	namespace App {
		interface Locals {
			lang: Locale;
			/** True in the pseudo-language (`/en-XA/…`, development and tests): English made to look foreign. */
			pseudo: boolean;
			/** The request's fixed-language translate function. */
			t: Translate;
			/** The signed-in user, from a live server-side session; null when signed out. */
			user: SignedIn | null;
		}
		interface Error {
			message: string;
			/**
			 * What a caseworker typed into a console form that could not be saved because the case
			 * stopped being theirs meanwhile (reassigned, say): shown back on the error page to copy,
			 * each text with its field's label (an i18n key).
			 */
			unsaved?: { label: string; text: string }[];
		}
	}
}

export {};
