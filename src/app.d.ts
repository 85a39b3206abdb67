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
		}
	}
}

export {};
