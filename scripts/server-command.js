// How `npm start` runs the built server (package.json's `start`: node, its flags, server.js), so
// the demo and the bench start it exactly as production does.
import { readFileSync } from 'node:fs';

/** The arguments after `node` in `npm start`, ending with server.js. */
export function serverArguments() {
	const start = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start;
	const [command, ...args] = String(start).trim().split(/\s+/);
	if (command !== 'node' || args.at(-1) !== 'server.js') {
		throw new Error(`package.json's start script must be "node [flags] server.js", not "${start}"`);
	}
	return args;
}
