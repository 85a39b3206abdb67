// `npm start`: serves the built app. adapter-node's own build/index.js serves static files before
// SvelteKit's hooks run, so they would miss the security headers; this wraps its handler instead.
// It also compresses the HTML and JSON SvelteKit renders, and answers public content pages from memory.
import { createServer } from 'node:http';
import { compressRendered } from './src/lib/server/http/compression.js';
import { PageCache } from './src/lib/server/http/page-cache.js';
import { securityHeaders } from './src/lib/server/security-headers.js';

/** @param {string} sentence */
function refuse(sentence) {
	console.error(`OneDoor cannot start: ${sentence}`);
	process.exit(1);
}

// adapter-node reads these two as its handler loads, before the init hook checks every setting
// (src/lib/server/config.ts), and would stop with a stack trace; say it in one sentence instead.
const origin = process.env.ORIGIN?.trim();
if (process.env.ORIGIN !== undefined && !origin) delete process.env.ORIGIN;
if (origin && !URL.canParse(origin)) {
	refuse(`ORIGIN must be a full http or https address, but it is "${origin}".`);
}
const bodySizeLimit = process.env.BODY_SIZE_LIMIT?.trim();
if (bodySizeLimit && !/^(\d+[KMG]?|Infinity)$/i.test(bodySizeLimit)) {
	refuse(
		`BODY_SIZE_LIMIT must be a number of bytes, optionally followed by K, M or G (like 512K), but it is "${bodySizeLimit}".`
	);
}

// Importing the handler runs the init hook: configuration check, migrations, demo data.
// (Through a variable, so the type checker does not walk into the built bundle.)
const built = './build/handler.js';
const { handler } = await import(built);

// Read after the init hook has checked them.
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST?.trim() || '0.0.0.0';
const headers = Object.entries(securityHeaders(new URL(origin || `http://localhost:${port}`)));

// A public content page (home, help, the court guide…) is the same for everyone who is not
// signed in: once rendered it is answered from memory, compressed once, before SvelteKit runs.
const publicPages = new PageCache();

const server = createServer((request, response) => {
	// A copy kept in memory carries every header the page was first sent with, these among them.
	if (publicPages.answer(request, response)) return;
	// The only place the built server sets them: on files and pages alike (not in the hooks).
	for (const [name, value] of headers) response.setHeader(name, value);
	compressRendered(request, response);
	publicPages.watch(request, response);
	handler(request, response, () => {
		response.statusCode = 404;
		response.end();
	});
});

server.listen(port, host, () => console.log(`OneDoor is listening on http://${host}:${port}`));

function stop() {
	server.close(() => process.exit(0));
	server.closeIdleConnections();
	setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
