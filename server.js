// `npm start`: serves the built app. adapter-node's own build/index.js serves static files before
// SvelteKit's hooks run, so they would miss the security headers; this wraps its handler instead.
import { createServer } from 'node:http';
import { securityHeaders } from './src/lib/server/security-headers.js';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const headers = Object.entries(
	securityHeaders(new URL(process.env.ORIGIN ?? `http://localhost:${port}`))
);

// Importing the handler runs the init hook: configuration check, migrations, demo data.
// (Through a variable, so the type checker does not walk into the built bundle.)
const built = './build/handler.js';
const { handler } = await import(built);

const server = createServer((request, response) => {
	for (const [name, value] of headers) response.setHeader(name, value);
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
