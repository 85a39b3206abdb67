import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
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
