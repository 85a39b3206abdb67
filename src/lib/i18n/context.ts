import { getContext, setContext } from 'svelte';
import type { I18n } from './index';

const key = Symbol('i18n');

/** Makes the page's language helpers available to every component below the shell. */
export function setI18n(current: () => I18n): void {
	setContext(key, {
		get t() {
			return current().t;
		},
		get lang() {
			return current().lang;
		},
		get dir() {
			return current().dir;
		},
		get href() {
			return current().href;
		}
	} satisfies I18n);
}

/** The page's language helpers: `const i18n = getI18n()`, then `i18n.t('home.title')`. */
export function getI18n(): I18n {
	const i18n = getContext<I18n | undefined>(key);
	if (!i18n) throw new Error('getI18n() called outside the page shell');
	return i18n;
}
