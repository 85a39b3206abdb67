// The English files are the source of every key: `t` (see `Translate` in ./index.ts) and i18next's
// own types check keys against them, so a misspelt key fails `npm run check`. The imports are
// type-only: nothing is bundled. A new message file is added here too; a test checks that.
import type common from './locales/en/common.json';
import type court from './locales/en/court.json';
import type errors from './locales/en/errors.json';
import type home from './locales/en/home.json';
import type meta from './locales/en/meta.json';
import type my from './locales/en/my.json';
import type refer from './locales/en/refer.json';
import type signIn from './locales/en/signIn.json';
import type staff from './locales/en/staff.json';

declare module 'i18next' {
	interface CustomTypeOptions {
		defaultNS: 'translation';
		resources: {
			translation: {
				common: typeof common;
				court: typeof court;
				errors: typeof errors;
				home: typeof home;
				meta: typeof meta;
				my: typeof my;
				refer: typeof refer;
				signIn: typeof signIn;
				staff: typeof staff;
			};
		};
	}
}
