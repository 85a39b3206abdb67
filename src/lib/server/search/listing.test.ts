import { describe, expect, it } from 'vitest';
import { locales } from '$lib/i18n/locales';
import { fixedT } from '$lib/server/i18n';
import { listedPages, robotsTxt, searchTags, sitemapXml } from './listing';

const origin = new URL('https://help.example.org');
const options = (pathname: string, indexing = true) =>
	searchTags(pathname, { indexing, origin, routeId: 'some-route', t: fixedT('en') });

describe('search listing', () => {
	it('gives a listed page its description, its address and every language', () => {
		const tags = options('/pl/court/day');
		expect(tags).not.toContain('noindex');
		expect(tags).toContain('<link rel="canonical" href="https://help.example.org/pl/court/day" />');
		for (const { code } of locales) {
			const href = code === 'en' ? '/court/day' : `/${code}/court/day`;
			expect(tags).toContain(`hreflang="${code}" href="https://help.example.org${href}"`);
		}
		expect(tags).toContain('hreflang="x-default" href="https://help.example.org/court/day"');
		expect(tags).toMatch(/<meta name="description" content="Your day in court: [^"]+" \/>/);
	});

	it('keeps private pages, unknown spellings and everything when off out of the index', () => {
		for (const path of ['/refer', '/pl/sign-in', '/my', '/staff', '/offline', '/court/', '/pl/']) {
			expect(options(path), path).toBe('<meta name="robots" content="noindex, nofollow" />');
		}
		expect(options('/safety', false)).toContain('noindex');
	});

	it('lists every public page in every language in the sitemap and robots.txt', () => {
		const sitemap = sitemapXml(origin);
		expect(sitemap.match(/<loc>/g)).toHaveLength(listedPages.size * locales.length);
		expect(sitemap).toContain('<loc>https://help.example.org/ar/privacy</loc>');
		const robots = robotsTxt(true, origin);
		expect(robots).toContain('Allow: /$');
		expect(robots).toContain('Sitemap: https://help.example.org/sitemap.xml');
		expect(robotsTxt(false, origin)).not.toContain('Allow');
	});
});
