// `npm run demo`: the portal on its embedded defaults: a SQLite file, demo data, and (made by the
// server itself when DATA_KEY is unset outside production) a local data key it announces.
import { spawn } from 'node:child_process';

const env = { ...process.env };
env.PORT ??= '3000';
env.ORIGIN ??= `http://localhost:${env.PORT}`;
env.DATABASE_PATH ??= 'data/onedoor.db';
env.DEMO_DATA ??= 'true';

console.log(`\nOneDoor demo: open ${env.ORIGIN} in your browser. Press Ctrl+C to stop.\n`);
const server = spawn(process.execPath, ['server.js'], { env, stdio: 'inherit' });
server.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
