/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';
import {
	anyOfflinePage,
	isOfflinePage,
	offlinePageFor,
	offlinePagesIn,
	visitorLanguageOf
} from '$lib/offline';
import { localizePath, splitLocale, type Locale } from '$lib/i18n/locales';

// SvelteKit's own service worker, not a plugin (DESIGN). It keeps the build and the public
// pages so they open without a network, and nothing else: no signed-in page, no /my or /staff
// response, no form post, nothing that carries a session is ever put in the cache.
// Pages are kept only in the languages this visitor has used (13 languages' pages would be 13
// times the storage and data on a cheap phone): the language of the page that registered the
// worker, of the pages it has served since, and of what an earlier version kept.
const sw = self as unknown as ServiceWorkerGlobalScope;
// Anyone who opens the browser's storage settings can read cache names: nothing in this one may
// say what the site is.
const cacheName = `files-${version}`;
const assets = new Set([...build, ...files]);
/** Where the page scripts live (hooks.server.ts): their names carry their content's hash. */
const immutable = '/_app/immutable/';

/** The page scripts a page's HTML names. */
function pageScripts(html: string): string[] {
	return [...html.matchAll(/<script src="([^"]+)" defer><\/script>/g)]
		.map((match) => match[1]!)
		.filter((src) => src.startsWith(immutable));
}

/** Whether a language's pages are kept: its offline page is the last one stored. */
async function keeps(cache: Cache, lang: Locale): Promise<boolean> {
	return (await cache.match(localizePath('/offline', lang))) !== undefined;
}

const keeping = new Map<Locale, Promise<void>>();

/** Keeps one language's public pages, and the scripts they name, once. */
function keepLanguage(lang: Locale): Promise<void> {
	let done = keeping.get(lang);
	if (!done) {
		done = (async () => {
			const cache = await caches.open(cacheName);
			if (await keeps(cache, lang)) return;
			// Pages are fetched without cookies, so what is kept is what anyone would see.
			const named = new Set<string>();
			const pages = offlinePagesIn(lang);
			const offline = localizePath('/offline', lang);
			const fetched = await Promise.all(
				pages.map(async (path) => {
					const response = await fetch(new Request(path, { credentials: 'omit' }));
					if (!response.ok) return null;
					for (const script of pageScripts(await response.clone().text())) named.add(script);
					return [path, response] as const;
				})
			);
			// The scripts every page names (the quick exit's among them) are built apart from the
			// client, so `build` does not list them: keep what the pages name, or a page opened
			// offline would have only a quick-exit link that needs the network.
			await cache.addAll([...named]);
			for (const entry of fetched) if (entry && entry[0] !== offline) await cache.put(...entry);
			// The offline page last: a language counts as kept only once everything else is.
			const last = fetched.find((entry) => entry?.[0] === offline);
			if (last) await cache.put(...last);
		})().finally(() => keeping.delete(lang));
		keeping.set(lang, done);
	}
	return done;
}

/** The languages of the open pages of ours, and of the pages an earlier version kept. */
async function languagesUsed(): Promise<Set<Locale>> {
	const used = new Set<Locale>();
	for (const client of await sw.clients.matchAll({ type: 'window', includeUncontrolled: true })) {
		const lang = visitorLanguageOf(new URL(client.url).pathname);
		if (lang) used.add(lang);
	}
	for (const key of await caches.keys()) {
		if (key === cacheName) continue;
		for (const request of await (await caches.open(key)).keys()) {
			const { pathname } = new URL(request.url);
			if (isOfflinePage(pathname) && splitLocale(pathname).path === '/offline') {
				used.add(splitLocale(pathname).lang);
			}
		}
	}
	return used;
}

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(cacheName);
			await cache.addAll([...assets]);
			await Promise.all([...(await languagesUsed())].map(keepLanguage));
		})()
	);
});

// A new version waits until no tab uses the old one, then removes the old files: a page never
// mixes files from two versions.
sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key !== cacheName) await caches.delete(key);
		})()
	);
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	// The quick exit's route goes to the network as if there were no worker: offline, the browser
	// shows its own error, never one of our pages (the offline page would keep the person here).
	if (url.pathname === '/quick-exit') return;

	// Build files and static files never change under one version, and a file under /_app/immutable
	// never changes under its name: the cache answers first.
	if (assets.has(url.pathname) || url.pathname.startsWith(immutable)) {
		event.respondWith(
			(async () => (await caches.match(url.pathname, { cacheName })) ?? fetch(request))()
		);
		return;
	}

	// Pages always come from the network when there is one. Offline, a public page is shown from
	// the cache; anything else (a signed-in page) gets the offline page, never old data.
	if (request.mode === 'navigate') {
		event.respondWith(
			(async () => {
				let response: Response;
				try {
					response = await fetch(request);
				} catch {
					const cache = await caches.open(cacheName);
					const kept = isOfflinePage(url.pathname) ? await cache.match(url.pathname) : undefined;
					return kept ?? (await offlinePage(cache, url.pathname)) ?? Response.error();
				}
				// A page read in a language not kept yet: keep that language's pages too.
				const lang = visitorLanguageOf(url.pathname);
				if (lang && response.ok) event.waitUntil(keepLanguage(lang));
				return response;
			})()
		);
	}
});

/** The offline page in the page's language, or in any language kept. */
async function offlinePage(cache: Cache, pathname: string): Promise<Response | undefined> {
	for (const path of [offlinePageFor(pathname), ...anyOfflinePage]) {
		const page = await cache.match(path);
		if (page) return page;
	}
	return undefined;
}
