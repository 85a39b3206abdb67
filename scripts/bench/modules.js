// OneDoor's TypeScript server modules, loaded from a plain Node script through Vite's SSR loader
// with the project's own vite.config.ts (as vitest loads them): `$lib` and `$env/dynamic/private`
// resolve as in the tests, and every module is loaded once, so `useDatabase` and `useCipher` set
// what the other modules use.
import { createServer } from 'vite';

/**
 * Starts a Vite server (no HTTP, no file watching) to load modules from `src/lib/server/`.
 * @returns {Promise<{ load: (file: string) => Promise<Record<string, any>>, close: () => Promise<void> }>}
 */
export async function serverModules() {
	const vite = await createServer({
		logLevel: 'warn',
		appType: 'custom',
		server: { middlewareMode: true, hmr: false, ws: false, watch: null },
		optimizeDeps: { noDiscovery: true, include: [] }
	});
	return {
		load: (file) => vite.ssrLoadModule(`/src/lib/${file}`),
		close: () => vite.close()
	};
}
