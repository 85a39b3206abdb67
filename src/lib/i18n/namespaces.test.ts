import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { namespacesForRoute, routeNamespaces, shellNamespaces } from './namespaces';

const routes = 'src/routes';
const namespaces = readdirSync('src/lib/i18n/locales/en').map((file) =>
	file.replace(/\.json$/, '')
);
const table: Record<string, readonly string[] | null> = routeNamespaces;

const directoryOf = (routeId: string) => join(routes, routeId);

/** Every route id under src/routes: a directory with a page or an endpoint. */
function routeIds(directory = routes): string[] {
	const entries = readdirSync(directory, { withFileTypes: true });
	const here = entries.some((e) => ['+page.svelte', '+server.ts'].includes(e.name))
		? ['/' + directory.slice(routes.length + 1)]
		: [];
	return [
		...here,
		...entries.filter((e) => e.isDirectory()).flatMap((e) => routeIds(join(directory, e.name)))
	];
}

/** A file and every component or module it imports from `$lib` or beside it, once each. */
function withImports(file: string, seen = new Set<string>()): Set<string> {
	if (seen.has(file) || !existsSync(file)) return seen;
	seen.add(file);
	for (const [, path] of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
		const target = path!.startsWith('$lib/')
			? path!.replace('$lib/', 'src/lib/')
			: path!.startsWith('.')
				? resolve(dirname(file), path!).slice(process.cwd().length + 1)
				: null;
		if (!target || target.includes('/server/')) continue;
		for (const candidate of [target, `${target}.ts`, `${target}/index.ts`]) {
			if (/\.(svelte|ts)$/.test(candidate) && existsSync(candidate)) withImports(candidate, seen);
		}
	}
	return seen;
}

/** The namespaces the code in these files reads: every string that starts `namespace.`. */
function namespacesRead(files: Iterable<string>): Map<string, string[]> {
	const pattern = new RegExp(`['"\`](${namespaces.join('|')})\\.[\\w$]`, 'g');
	const read = new Map<string, string[]>();
	for (const file of files) {
		// Comments name keys as examples; only code counts.
		const code = readFileSync(file, 'utf8')
			.replace(/\/\*[\s\S]*?\*\/|<!--[\s\S]*?-->/g, '')
			.replace(/(^|\s)\/\/.*$/gm, '$1');
		for (const [, namespace] of code.matchAll(pattern)) {
			read.set(namespace!, [...(read.get(namespace!) ?? []), file]);
		}
	}
	return read;
}

/** What renders for a page: its own page, the layouts above it, and what each imports. */
function pageFiles(routeId: string): Set<string> {
	const files = new Set<string>();
	const parts = routeId.split('/').filter(Boolean);
	for (let depth = 0; depth <= parts.length; depth++) {
		const directory = join(routes, ...parts.slice(0, depth));
		withImports(join(directory, '+layout.svelte'), files);
	}
	withImports(join(directoryOf(routeId), '+page.svelte'), files);
	return files;
}

describe('namespaces per route', () => {
	it('names every page and endpoint, and only those', () => {
		expect(Object.keys(table).filter((id) => !existsSync(directoryOf(id)))).toEqual([]);
		expect(routeIds().filter((id) => !(id in table))).toEqual([]);
	});

	it('gives a list to every page and none to a route without one', () => {
		// A page is a component, or a load alone (a catch-all that answers with the error page).
		const isPage = (id: string) =>
			['+page.svelte', '+page.server.ts'].some((file) => existsSync(join(directoryOf(id), file)));
		const wrong = Object.entries(table).filter(([id, list]) => isPage(id) !== (list !== null));
		expect(wrong.map(([id]) => id)).toEqual([]);
	});

	it.each(Object.keys(table).filter((id) => table[id]))(
		'%s is sent every namespace its page reads',
		(routeId) => {
			const sent = namespacesForRoute(routeId as keyof typeof routeNamespaces);
			const missing = [...namespacesRead(pageFiles(routeId))]
				.filter(([namespace]) => !sent.includes(namespace as (typeof sent)[number]))
				.map(([namespace, files]) => `${namespace} (${[...new Set(files)].join(', ')})`);
			expect(missing).toEqual([]);
		}
	);

	it('sends only the shell namespaces to a page not found', () => {
		expect(namespacesForRoute(null)).toEqual([...shellNamespaces]);
		const read = namespacesRead(withImports(join(routes, '+error.svelte')));
		expect(
			[...read.keys()].filter((n) => !(shellNamespaces as readonly string[]).includes(n))
		).toEqual([]);
	});
});
