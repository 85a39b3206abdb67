import type { RouteId } from '$app/types';
import type { CustomTypeOptions } from 'i18next';

/** A message file, `locales/<lang>/<namespace>.json`; its keys read `namespace.key`. */
export type Namespace = keyof CustomTypeOptions['resources']['translation'];

/** What every page gets: the shell's header, footer, quick exit and forms, and the error page. */
export const shellNamespaces = ['common', 'errors'] as const satisfies readonly Namespace[];

/**
 * The message files each page needs besides the shell's, by SvelteKit's route id; `null` where
 * the route has no page (an endpoint, or a layout on its own). Only these messages are sent to
 * the browser, so a page that forgets one shows raw keys.
 *
 * Why one table and not an export beside each page: the root layout's load chooses the messages
 * and cannot see a page's own exports. `satisfies Record<RouteId, …>` makes `npm run check` fail
 * when a route is added, renamed or removed without this table changing with it, and
 * `namespaces.test.ts` fails when a page or a component it uses reads a namespace not listed.
 */
export const routeNamespaces = {
	'/': null,
	'/[[lang=locale]]': null,
	// A hydrating page's messages, as a script (i18n/transport.ts).
	'/i18n': null,
	'/i18n/[lang]': null,
	'/i18n/[lang]/[file]': null,
	// An address that matches no page: "not found" in the people's shell.
	'/[[lang=locale]]/[...path]': [],
	'/[[lang=locale]]/(public)': ['home'],
	'/[[lang=locale]]/(public)/[page=content]': [],
	'/[[lang=locale]]/(public)/offline': [],
	'/[[lang=locale]]/(public)/language': [],
	'/[[lang=locale]]/(public)/court': ['court'],
	'/[[lang=locale]]/(public)/court/[page=courtPage]': ['court'],
	'/[[lang=locale]]/(public)/refer': ['refer'],
	'/[[lang=locale]]/(public)/refer/[step=referralStep]': ['refer'],
	'/[[lang=locale]]/(public)/refer/check': ['refer'],
	'/[[lang=locale]]/(public)/refer/done': ['refer'],
	'/[[lang=locale]]/(public)/refer/emergency': ['refer'],
	'/[[lang=locale]]/(public)/refer/professional': ['refer'],
	'/[[lang=locale]]/(public)/refer/professional/form': ['refer'],
	'/[[lang=locale]]/(public)/refer/professional/not-agreed': ['refer'],
	'/[[lang=locale]]/(public)/refer/professional/sent': ['refer'],
	// Choosing a new passphrase reuses the referral's passphrase wording and rule.
	'/[[lang=locale]]/(public)/sign-in': ['signIn', 'refer'],
	'/[[lang=locale]]/(public)/sign-in/email': ['signIn', 'refer'],
	'/[[lang=locale]]/(public)/sign-in/link': ['signIn', 'refer'],
	'/[[lang=locale]]/(public)/sign-in/reset': ['signIn', 'refer'],
	'/[[lang=locale]]/(public)/sign-in/reset-link': ['signIn', 'refer'],
	'/[[lang=locale]]/(portal)': null,
	'/[[lang=locale]]/(portal)/my': ['my'],
	'/[[lang=locale]]/(portal)/my/court': ['my'],
	// Changing one's details asks the referral's own questions again.
	'/[[lang=locale]]/(portal)/my/details': ['my', 'refer'],
	'/[[lang=locale]]/(portal)/my/details/[part=preferencePart]': ['my', 'refer'],
	'/[[lang=locale]]/(portal)/my/messages': ['my'],
	'/[[lang=locale]]/(portal)/my/messages/updates': null,
	'/[[lang=locale]]/(portal)/my/settings': ['my'],
	'/[[lang=locale]]/(portal)/my/sharing': null,
	'/[[lang=locale]]/(portal)/my/sharing/[id]': ['my'],
	'/exit-notice': null,
	'/language-offer': null,
	'/manifest.webmanifest': null,
	'/quick-exit': null,
	'/robots.txt': null,
	'/session': null,
	'/sign-out': null,
	// Organisation sign-in (OpenID Connect): redirects only, to the provider and back.
	'/sign-in': null,
	'/sign-in/organisation': null,
	'/sign-in/organisation/[id]': null,
	'/sign-in/organisation/callback': null,
	'/sign-in/organisation/callback/[id]': null,
	'/sitemap.xml': null,
	// The staff console is English only.
	'/staff': ['staff'],
	// An address under /staff that matches no page: "not found" in the console's shell.
	'/staff/[...path]': ['staff'],
	'/staff/admin': ['staff'],
	'/staff/admin/organisations': ['staff'],
	'/staff/admin/partners': ['staff'],
	'/staff/admin/partners/[agency]': ['staff'],
	'/staff/admin/translations': ['staff'],
	'/staff/cases': ['staff'],
	'/staff/cases/[reference]': ['staff'],
	'/staff/cases/[reference]/assessment': ['staff'],
	'/staff/cases/[reference]/audit': ['staff'],
	'/staff/cases/[reference]/court': ['staff'],
	'/staff/cases/[reference]/export': ['staff'],
	'/staff/cases/[reference]/export/download': null,
	'/staff/cases/[reference]/messages': ['staff'],
	'/staff/cases/[reference]/messages/updates': null,
	'/staff/cases/[reference]/partners': ['staff'],
	'/staff/cases/[reference]/partners/[id]': ['staff'],
	'/staff/cases/[reference]/retention': ['staff'],
	'/staff/enrol': ['staff'],
	'/staff/password': ['staff'],
	'/staff/people': ['staff'],
	'/staff/reports': ['staff'],
	'/staff/sharing': ['staff'],
	'/staff/sign-in': ['staff'],
	'/staff/verify': ['staff'],
	// The partner area is English only, in the console's words (staff.json's `partnerArea`).
	'/partner': ['staff'],
	'/partner/[...path]': ['staff'],
	'/partner/enrol': ['staff'],
	'/partner/password': ['staff'],
	'/partner/referrals': null,
	'/partner/referrals/[id]': ['staff'],
	'/partner/sign-in': ['staff'],
	'/partner/team': ['staff'],
	'/partner/verify': ['staff']
} as const satisfies Record<RouteId, readonly Namespace[] | null>;

/** The namespaces a page needs: the shell's and its route's; only the shell's for a 404. */
export function namespacesForRoute(routeId: RouteId | null): Namespace[] {
	const own = routeId === null ? null : routeNamespaces[routeId];
	return [...shellNamespaces, ...(own ?? [])];
}
