import { config } from '$lib/server/config';
import type { RequestHandler } from './$types';

// The web app manifest: the name comes from configuration, so a service can choose a neutral
// one that does not say what the app is for on a shared phone's home screen.
export const GET: RequestHandler = () => {
	const { serviceName, serviceShortName } = config();
	return new Response(
		JSON.stringify({
			name: serviceName,
			short_name: serviceShortName,
			start_url: '/',
			scope: '/',
			display: 'standalone',
			background_color: '#ffffff',
			theme_color: '#1d3a5f',
			icons: [
				{ src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
				{ src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
				{ src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
				{ src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml' }
			]
		}),
		{ headers: { 'content-type': 'application/manifest+json', 'cache-control': 'no-cache' } }
	);
};
