import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		// DESIGN rule 1 and 8: no inline script outside SvelteKit's own nonces/hashes, no other origin.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// SvelteKit's route announcer (a visually hidden live region it adds after the first
				// client-side navigation) carries a style attribute; CSP Level 3 lets exactly that one
				// attribute through by its hash with 'unsafe-hashes', and no other inline style.
				'style-src': [
					'self',
					'unsafe-hashes',
					'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='
				],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'manifest-src': ['self'],
				'worker-src': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none'],
				'base-uri': ['none'],
				'object-src': ['none']
			}
		},
		// Our Referrer-Policy is no-referrer, so browsers send `Origin: null` on our own form posts
		// (Fetch standard, "append a request Origin header") and SvelteKit's origin check would refuse
		// them all. hooks.server.ts checks Fetch Metadata instead: see $lib/server/csrf.ts.
		csrf: { trustedOrigins: ['*'] },
		serviceWorker: { register: false },
		typescript: {
			// The built server is JavaScript the checker must not walk into.
			config: (tsconfig) => {
				tsconfig.exclude.push('../build/**', '../.e2e/**');
			}
		}
	}
};

export default config;
