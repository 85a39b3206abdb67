// `npm run demo`: the portal on its embedded defaults: a SQLite file, demo data, a local data key
// (made here, once, beside the database: the server itself never makes one) and a local mailbox.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { serverArguments } from './server-command.js';

const env = { ...process.env };
env.PORT ??= '3000';
env.ORIGIN ??= `http://localhost:${env.PORT}`;
env.DATABASE_PATH ??= 'data/onedoor.db';
env.DEMO_DATA ??= 'true';
const dataDir = dirname(env.DATABASE_PATH);

if (env.NODE_ENV === 'production') {
	console.error('npm run demo is not for production: it makes a demo data key and demo accounts.');
	process.exit(1);
}

if (!env.DATA_KEY) {
	const file = join(dataDir, 'demo-data-key');
	if (!existsSync(file)) {
		mkdirSync(dataDir, { recursive: true });
		writeFileSync(file, `demo:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
		console.log(`Generated a local data key in ${file} for this demo; never use it for real data.`);
	}
	env.DATA_KEY = readFileSync(file, 'utf8').trim();
}

// The server never writes an email to its log (a sign-in link there is a live key to someone's
// case). The demo's emails go to an SMTP server on this machine that saves each as a file only
// the demo's user can read, so the email-link sign-in can still be tried.
let mailbox;
if (!env.SMTP_URL) {
	const folder = join(dataDir, 'demo-mail');
	let count = 0;
	mailbox = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		onData(stream, _session, done) {
			simpleParser(stream)
				.then((mail) => {
					mkdirSync(folder, { recursive: true, mode: 0o700 });
					const text = `To: ${mail.to?.text ?? ''}\nSubject: ${mail.subject ?? ''}\n\n${mail.text ?? ''}`;
					const file = join(
						folder,
						`${new Date().toISOString().replace(/[:.]/g, '-')}-${++count}.txt`
					);
					writeFileSync(file, text, { mode: 0o600 });
					console.log(`Demo email saved in ${file}`);
					done();
				})
				.catch(done);
		}
	});
	await new Promise((resolve) => mailbox.listen(0, '127.0.0.1', resolve));
	env.SMTP_URL = `smtp://127.0.0.1:${mailbox.server.address().port}`;
	console.log(`Emails are not sent anywhere in the demo: each is saved in ${folder}/.`);
}

console.log(`\nOneDoor demo: open ${env.ORIGIN} in your browser. Press Ctrl+C to stop.\n`);
const server = spawn(process.execPath, serverArguments(), { env, stdio: 'inherit' });
server.on('exit', (code) => {
	mailbox?.close();
	process.exit(code ?? 0);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
