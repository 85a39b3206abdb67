/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';
import { offlinePageFor, offlinePages } from '$lib/offline';

// SvelteKit's own service worker, not a plugin (DESIGN). It keeps the build and the public
// pages so they open without a network, and nothing else: no signed-in page, no /my or /staff
// response, no form post, nothing that carries a session is ever put in the cache.
const sw = self as unknown as ServiceWorkerGlobalScope;
// Anyone who opens the browser's storage settings can read cache names: nothing in this one may
// say what the site is.
const cacheName = `files-${version}`;
const assets = new Set([...build, ...files]);
const pages = new Set(offlinePages);
/** Where the page scripts live (hooks.server.ts): their names carry their content's hash. */
const immutable = '/_app/immutable/';

/** The page scripts a page's HTML names. */
function pageScripts(html: string): string[] {
	return [...html.matchAll(/<script src="([^"]+)" defer><\/script>/g)]
		.map((match) => match[1]!)
		.filter((src) => src.startsWith(immutable));
}

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(cacheName);
			await cache.addAll([...assets]);
			// Pages are fetched without cookies, so what is kept is what anyone would see.
			const named = new Set<string>();
			await Promise.all(
				[...pages].map(async (path) => {
					const response = await fetch(new Request(path, { credentials: 'omit' }));
					if (!response.ok) return;
					for (const script of pageScripts(await response.clone().text())) named.add(script);
					await cache.put(path, response);
				})
			);
			// The scripts every page names (the quick exit's among them) are built apart from the
			// client, so `build` does not list them: keep what the pages name, or a page opened
			// offline would have only a quick-exit link that needs the network.
			await cache.addAll([...named]);
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
				try {
					return await fetch(request);
				} catch {
					const cache = await caches.open(cacheName);
					const kept = pages.has(url.pathname) ? await cache.match(url.pathname) : undefined;
					return kept ?? (await cache.match(offlinePageFor(url.pathname))) ?? Response.error();
				}
			})()
		);
	}
});
