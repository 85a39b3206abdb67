import { config } from '$lib/server/config';
import { robotsTxt } from '$lib/server/search/listing';
import type { RequestHandler } from './$types';

/** Which pages crawlers may fetch: the public information pages only, or nothing (INDEXING=off). */
export const GET: RequestHandler = () => {
	const settings = config();
	return new Response(robotsTxt(settings.indexing, settings.origin), {
		headers: {
			'content-type': 'text/plain; charset=utf-8',
			'cache-control': 'public, max-age=3600'
		}
	});
};
