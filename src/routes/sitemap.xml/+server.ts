import { error } from '@sveltejs/kit';
import { config } from '$lib/server/config';
import { sitemapXml } from '$lib/server/search/listing';
import type { RequestHandler } from './$types';

/** Every public information page in every language; none at all when the service is unlisted. */
export const GET: RequestHandler = () => {
	const settings = config();
	if (!settings.indexing) error(404, 'not-found');
	return new Response(sitemapXml(settings.origin), {
		headers: {
			'content-type': 'application/xml; charset=utf-8',
			'cache-control': 'public, max-age=3600'
		}
	});
};
