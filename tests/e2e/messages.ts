import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type common from '../../src/lib/i18n/locales/en/common.json';
import type court from '../../src/lib/i18n/locales/en/court.json';
import type errors from '../../src/lib/i18n/locales/en/errors.json';
import type home from '../../src/lib/i18n/locales/en/home.json';
import type my from '../../src/lib/i18n/locales/en/my.json';
import type refer from '../../src/lib/i18n/locales/en/refer.json';
import type signIn from '../../src/lib/i18n/locales/en/signIn.json';

/** Every language has English's shape: a unit test fails when one lacks a key. */
export interface Messages {
	common: typeof common;
	court: typeof court;
	errors: typeof errors;
	home: typeof home;
	refer: typeof refer;
	signIn: typeof signIn;
	my: typeof my;
}

/** A language's messages as the site shows them, so tests find controls by their real labels. */
export function messages(lang: string): Messages {
	const dir = join('src/lib/i18n/locales', lang);
	return Object.fromEntries(
		readdirSync(dir).map((file) => [
			file.replace(/\.json$/, ''),
			JSON.parse(readFileSync(join(dir, file), 'utf8'))
		])
	) as unknown as Messages;
}
