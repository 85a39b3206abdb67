// `npm run demo`: the portal on its embedded defaults: a SQLite file, demo data, a local key.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';

const env = { ...process.env };
env.PORT ??= '3000';
env.ORIGIN ??= `http://localhost:${env.PORT}`;
env.DATABASE_PATH ??= 'data/onedoor.db';
env.DEMO_DATA ??= 'true';

if (!env.DATA_KEY) {
	// A real deployment sets DATA_KEY itself; the demo makes one and keeps it beside its database.
	const keyFile = 'data/demo-data-key';
	mkdirSync('data', { recursive: true });
	if (!existsSync(keyFile)) {
		writeFileSync(keyFile, `demo:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
		console.log(
			`Generated a local data key for the demo in ${keyFile} (never use it for real data).`
		);
	}
	env.DATA_KEY = readFileSync(keyFile, 'utf8').trim();
}

console.log(`\nOneDoor demo: open ${env.ORIGIN} in your browser. Press Ctrl+C to stop.\n`);
const server = spawn(process.execPath, ['server.js'], { env, stdio: 'inherit' });
server.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
