import type { TFunction } from 'i18next';
import type { Locale } from '$lib/i18n/locales';

declare global {
	namespace App {
		interface Locals {
			lang: Locale;
			/** The request's fixed-language translate function. */
			t: TFunction;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
