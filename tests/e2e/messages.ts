import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Tree = { [key: string]: string & Tree };

/** A language's messages as the site shows them, so tests find controls by their real labels. */
export function messages(lang: string): Tree {
	const dir = join('src/lib/i18n/locales', lang);
	return Object.fromEntries(
		readdirSync(dir).map((file) => [
			file.replace(/\.json$/, ''),
			JSON.parse(readFileSync(join(dir, file), 'utf8'))
		])
	) as Tree;
}
