import type { Handle, HandleServerError, RequestEvent, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { withMessages } from '$lib/i18n/transport';
import { directionOf, splitLocale } from '$lib/i18n/locales';
import { env } from '$env/dynamic/private';
import { carriesSessionCookie, clearCookie, sessionIdOf, sessions } from '$lib/server/auth';
import { checkHashing } from '$lib/server/auth/hashing';
import { completeChain } from '$lib/server/audit/chain';
import { completeIndexes } from '$lib/server/cases/names';
import { config, ConfigError, configWarnings } from '$lib/server/config';
import { DataKeyError, loadCipher, useCipher } from '$lib/server/crypto';
import { checkSealedKeys } from '$lib/server/crypto/rotation.js';
import {
	database,
	flushingAfter,
	groupCommits,
	migrateDatabase,
	openDatabase,
	optimizeDatabase,
	useDatabase
} from '$lib/server/db';
import { seedReference } from '$lib/server/db/reference';
import { seed } from '$lib/server/db/seed';
import { fixedT, pseudoT } from '$lib/server/i18n';
import { pseudoLocale, stripPseudo } from '$lib/i18n/pseudo';
import { offerMayShow } from '$lib/server/language-offer';
import * as draftCookie from '$lib/server/referrals/draft-cookie';
import { startWorker } from '$lib/server/notify/outbox';
import { startBackups } from '$lib/server/lifecycle/backup-schedule';
import { startSweeper } from '$lib/server/lifecycle/sweep';
import { useErasureLedger } from '$lib/server/lifecycle/erasure-ledger.js';
import { reconcileErasures } from '$lib/server/lifecycle/erasures';
import { isCrossSite } from '$lib/server/csrf';
import { readToEnd } from '$lib/server/forms';
import { searchTags } from '$lib/server/search/listing';
// Each URL carries a hash of the file's content, so a phone never runs a cached copy against new
// markup, and the files can be cached for a year (adapter-node sends immutable for /_app/immutable).
import errorSummaryScript from '$lib/page-scripts/error-summary.js?url&no-inline';
import offlineAppScript from '$lib/page-scripts/offline-app.js?url&no-inline';
import quickExitScript from '$lib/page-scripts/quick-exit.js?url&no-inline';

/** Checks the configuration, loads the data key, opens and migrates the database, and seeds demo data if asked. */
export const init: ServerInit = async () => {
	try {
		const settings = config();
		for (const warning of configWarnings(settings)) console.warn(`OneDoor warning: ${warning}`);
		const cipher = useCipher(loadCipher(env, settings.production));
		await checkHashing().catch((error: unknown) => {
			throw new ConfigError(
				`argon2 cannot hash on this machine (${error instanceof Error ? error.message : String(error)}): install the dependencies on this platform with npm ci.`
			);
		});
		const db = useDatabase(openDatabase(settings.databasePath));
		migrateDatabase(db, settings.migrationsDir);
		// A value sealed with a key the server does not hold would fail later, on someone's page.
		checkSealedKeys(db.$client, cipher);
		// The audit chain: seals rows from before it began, and re-seals under a rotated key.
		completeChain(db);
		// Before anyone is answered: a restored backup erases again whom the ledger says were erased.
		useErasureLedger({ path: settings.erasureLedger, cipher });
		const erasures = reconcileErasures(settings.erasureLedger, cipher);
		if (erasures.started) {
			console.warn(
				`OneDoor warning: there was no erasure ledger at "${settings.erasureLedger}", so one was started from this database. If this database was restored from a backup, cases erased after that backup was taken are in it again: stop the server, put the ledger kept with the backups there, and start it again.`
			);
		}
		if (erasures.reapplied > 0) {
			console.warn(
				`OneDoor erased ${erasures.reapplied} case(s) again: the erasure ledger says they were erased after this database was backed up.`
			);
		}
		if (erasures.unreadable > 0) {
			console.warn(
				`OneDoor warning: ${erasures.unreadable} line(s) of the erasure ledger at "${settings.erasureLedger}" could not be read or trusted; one cut short by a power cut is harmless, more means the file is damaged, was written to by hand, or was signed under a data key no longer configured: check it against the audit trail's "Case erased on request" rows.`
			);
		}
		seedReference(db);
		if (settings.demoData) {
			// Loaded only in demo mode: Vite emits it as its own chunk, so the demo accounts' known
			// passwords are never part of what a production server loads.
			const demo = await import('$lib/server/demo');
			await seed(db, demo.demoSeeders);
			console.log(['Demo sign-ins:', ...demo.demoSignIns(db)].join('\n'));
		}
		// What SQL cannot compute for the console: name indexes under the current key, due dates.
		completeIndexes(db);
		optimizeDatabase(db);
		// From here on a request that wrote is answered once its commits are on disk, one sync
		// shared by every request waiting (durability.ts), not a sync inside every commit.
		groupCommits(db);
		startWorker(settings.outboxIntervalMs);
		if (settings.backup) startBackups(settings.backup, db, cipher);
		startSweeper(settings.retention.sweepMinutes * 60_000);
	} catch (error) {
		if (error instanceof ConfigError || error instanceof DataKeyError) {
			// One clear sentence, not a stack trace: the person starting the server must fix a setting.
			console.error(`OneDoor cannot start: ${error.message}`);
			process.exit(1);
		}
		throw error;
	}
};

const placeholders = /%od\.[a-zA-Z.]+%/g;
/**
 * Where the page's own markup starts (app.html). Every placeholder of the shell comes before it;
 * after it is the page, with what people typed (a message, a name): never filled, however much it
 * looks like a placeholder, or "%od.search%" in a message would come out as markup.
 */
const pageStart = '<div class="app">';

/** The shell's placeholders filled in the part of `html` before the page's own markup. */
function fillShell(html: string, fill: Record<string, (html: string) => string>): string {
	const at = html.indexOf(pageStart);
	// A later chunk of a streamed page is all page: nothing of the shell is in it.
	if (at < 0) return html;
	const shell = html.slice(0, at).replace(placeholders, (name) => fill[name]?.(html) ?? name);
	return shell + html.slice(at);
}

/**
 * True when a form post names an action SvelteKit cannot look up safely (`?/default`, its
 * reserved name, or one every object has, like `?/__proto__` or `?/toString`): SvelteKit would
 * answer it with a 500. SvelteKit takes the first query key that starts with "/".
 */
function namesUnsafeAction(url: URL): boolean {
	for (const key of url.searchParams.keys()) {
		if (!key.startsWith('/')) continue;
		const name = key.slice(1);
		return name === 'default' || name in Object.prototype;
	}
	return false;
}

/** Language, CSRF and the page's shell for every request. */
const shell: Handle = async ({ event, resolve }) => {
	// The pseudo-language is English's pages and messages made to look foreign (src/lib/i18n/pseudo.ts).
	const pseudoPath = stripPseudo(event.url.pathname);
	if (pseudoPath !== null && !config().pseudoLocale) return new Response(null, { status: 404 });
	const { lang } = splitLocale(pseudoPath ?? event.url.pathname);
	event.locals.lang = lang;
	event.locals.pseudo = pseudoPath !== null;
	event.locals.t = event.locals.pseudo ? pseudoT() : fixedT(lang);

	if (isCrossSite(event.request, config().origin.origin)) {
		return new Response(event.locals.t('errors.crossSite'), {
			status: 403,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	if (event.request.method === 'POST' && namesUnsafeAction(event.url)) {
		return new Response(event.locals.t('errors.notFound.title'), {
			status: 404,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	// Auth.js is called from our own code only; its HTTP endpoints are not offered to browsers.
	if (event.url.pathname === '/auth' || event.url.pathname.startsWith('/auth/')) {
		return new Response(null, { status: 404 });
	}

	const settings = config();
	const search = () =>
		searchTags(event.url.pathname, {
			indexing: settings.indexing,
			origin: settings.origin,
			routeId: event.route.id,
			t: event.locals.t
		});
	// The shell's placeholders (app.html), filled in one pass over the page.
	const fill: Record<string, (html: string) => string> = {
		'%od.lang%': () => (event.locals.pseudo ? pseudoLocale : lang),
		'%od.search%': search,
		'%od.dir%': () => directionOf(lang),
		'%od.script.quickExit%': () => quickExitScript,
		'%od.script.errorSummary%': () => errorSummaryScript,
		'%od.script.offlineApp%': () => offlineAppScript
	};
	// The security headers are set where the response is written (server.js; the dev server's
	// plugin in vite.config.ts), for every file as well as every page: not again here.
	return resolve(event, {
		// A hydrating page's messages: a script of their own, kept by the browser (i18n/transport.ts).
		transformPageChunk: ({ html }) => withMessages(fillShell(html, fill))
	});
};

/** How long a browser or shared cache may keep a public content page, and server.js too. */
const publicPageCacheControl = 'public, max-age=300';

/**
 * The routes whose page depends only on its path, the first-visit notice and, until it is
 * declined, the browser's language (the offer of the page in it; `Vary: Accept-Language`): the
 * home page, the Markdown content pages, the court guide and the offline page. Each ships no
 * script that needs a nonce (`csr = false`), so one copy's Content-Security-Policy serves every
 * visitor.
 */
const publicContentRoutes = new Set([
	'/[[lang=locale]]/(public)',
	'/[[lang=locale]]/(public)/[page=content]',
	'/[[lang=locale]]/(public)/court',
	'/[[lang=locale]]/(public)/court/[page=courtPage]',
	'/[[lang=locale]]/(public)/offline'
]);

/** True for a public content page rendered for nobody in particular, which any cache may keep. */
function isPublicContent(event: RequestEvent, response: Response): boolean {
	return (
		publicContentRoutes.has(event.route.id ?? '') &&
		(event.request.method === 'GET' || event.request.method === 'HEAD') &&
		response.status === 200 &&
		!response.headers.has('set-cookie') &&
		!carriesSessionCookie(event) &&
		// A nonce kept in a copy would be the same on every visit: never keep a page that has one.
		!response.headers.get('content-security-policy')?.includes("'nonce-")
	);
}

/** Authentication once per request: a live server-side session, or nobody. */
const session: Handle = async ({ event, resolve }) => {
	// The messages' scripts are the same for everyone and kept by any cache: no session is read
	// for them, and none makes them `no-store`.
	if (event.route.id === '/i18n/[lang]/[file]') return resolve(event);
	const sessionId = await sessionIdOf(event);
	// Background polls for new messages must not keep an unattended session alive. Leaving by
	// the quick exit neither touches the session nor waits on the database (sessions.ts).
	const activity = !event.url.pathname.endsWith('/messages/updates');
	event.locals.user = !sessionId
		? null
		: event.url.pathname === '/quick-exit'
			? sessions.resumeLeaving(sessionId)
			: sessions.resume(sessionId, new Date(), activity);
	// A cookie whose session has ended is only a trace of the visit.
	if (sessionId && !event.locals.user) clearCookie(event);
	const response = await resolve(event);
	// Signed-in pages, and any page while an unsent referral is open, never sit in a cache (ASVS
	// 5.0 V14.3): after a quick exit, Back must fetch them again and find nothing.
	// A people's page may offer itself in the browser's language until that offer is declined:
	// any cache, the browser's own included, must then keep one copy per Accept-Language, or one
	// visitor's offer would reach the next (language-offer.ts).
	const offers =
		event.route.id?.startsWith('/[[lang=locale]]') === true &&
		offerMayShow(event.cookies, event.locals.user?.role === 'person');
	if (event.locals.user || draftCookie.read(event.cookies)) {
		response.headers.set('Cache-Control', 'no-store');
	} else if (isPublicContent(event, response)) {
		// The same page for everybody not signed in: shared caches may hold it a few minutes, one
		// copy per Cookie header (the first-visit notice differs; a session cookie never matches
		// an anonymous copy), and server.js keeps it in memory (src/lib/server/http/page-cache.js).
		response.headers.set('Cache-Control', publicPageCacheControl);
		response.headers.set(
			'Vary',
			offers ? 'Accept-Encoding, Cookie, Accept-Language' : 'Accept-Encoding, Cookie'
		);
		return response;
	}
	if (offers) response.headers.append('Vary', 'Accept-Language');
	return response;
};

/** A request that committed anything is answered only once that is on disk (`flushingAfter`). */
const durable: Handle = ({ event, resolve }) =>
	flushingAfter(database(), async () => resolve(event));

/**
 * A body the answer did not read (one too large to keep, a redirect to sign in, a refusal before
 * the form was read, an action that takes no fields) is read to its end first. Answered unread,
 * it stays on the browser's kept-open connection, which the next request then finds reset: a
 * network error where the person should get our page.
 */
const wholeBody: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (event.request.body && !event.request.bodyUsed) await readToEnd(event.request);
	return response;
};

export const handle = sequence(wholeBody, durable, shell, session);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	// A request the server refused (a malformed address, a bad body) is the sender's mistake: one
	// line naming the route, never the URL, which may carry a sign-in token (DESIGN rule 9).
	if (status >= 400 && status < 500) {
		if (status !== 404) {
			console.error(
				`Refused a bad request (${status} ${message}): ${event.request.method} ${event.route.id ?? 'no route'}`
			);
		}
	} else {
		console.error(error);
	}
	// The message shown to a person is translated by the error page; nothing internal leaks out.
	return { message: status === 404 ? 'not-found' : 'server-error' };
};
