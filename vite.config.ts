import { sveltekit } from '@sveltejs/kit/vite';
import type { Connect, Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { securityHeaders } from './src/lib/server/security-headers.js';

/**
 * The security headers on every answer of `vite dev` and `vite preview`, as server.js sets them
 * on every answer of the built server (the hooks do not set them again).
 */
function securityHeadersPlugin(): Plugin {
	const headers = Object.entries(
		securityHeaders(new URL(process.env.ORIGIN || 'http://localhost'))
	);
	const setHeaders: Connect.NextHandleFunction = (_request, response, next) => {
		for (const [name, value] of headers) response.setHeader(name, value);
		next();
	};
	return {
		name: 'onedoor-security-headers',
		configureServer: (server) => void server.middlewares.use(setHeaders),
		configurePreviewServer: (server) => void server.middlewares.use(setHeaders)
	};
}

export default defineConfig({
	plugins: [securityHeadersPlugin(), sveltekit()],
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node',
		// One migrated database for the run; each test's freshDatabase copies it.
		globalSetup: ['./src/lib/server/db/testing.setup.ts'],
		// Integration tests open real SQLite files; keep them in one worker pool per file.
		pool: 'forks',
		testTimeout: 20_000
	}
});
