import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { env } from '$env/dynamic/private';
import { ConfigError, type BackupConfig } from '$lib/server/config';
import type { Cipher } from '$lib/server/crypto';
import type { Db } from '$lib/server/db';
import { backupInto, nextBackupDelay } from './backup.js';

// The first backup after start-up waits this long at least, so it never competes with start-up.
const settleMs = 30_000;
// A restore check of the bench's 390 MB database takes 4.5 s; one still running after this hangs.
const checkTimeoutMs = 15 * 60_000;

/**
 * Checks the backup `file` as `npm run restore -- --check` does (it decrypts, SQLite's integrity
 * check passes, the migrations and every sealed value's key are known), in a child process, so
 * seconds of checking a city's database never hold up a request. The plain copy it checks is made
 * beside the database (DATABASE_PATH in `env`), never in the backup folder. Answers null when the
 * backup can be restored, or the sentence saying why not.
 */
export function checkBackup(
	file: string,
	environment: NodeJS.ProcessEnv,
	timeoutMs = checkTimeoutMs
): Promise<string | null> {
	return new Promise((done) => {
		const child = spawn(process.execPath, [resolve('scripts/restore.js'), '--check', file], {
			env: environment,
			stdio: ['ignore', 'ignore', 'pipe']
		});
		// A check that hangs must not hold up every later backup (the next waits for this one).
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			child.kill('SIGKILL');
		}, timeoutMs);
		timer.unref();
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', (error) => done(error.message));
		child.on('close', (code) => {
			clearTimeout(timer);
			const limit = timeoutMs >= 60_000 ? `${timeoutMs / 60_000} minutes` : `${timeoutMs} ms`;
			if (timedOut) return done(`the check did not finish within ${limit}`);
			if (code === 0) return done(null);
			const said = /OneDoor cannot restore: (.*?)(?: Nothing was replaced\.)?$/m.exec(stderr);
			done(said?.[1]?.replace(/\.$/, '') ?? `the check stopped with exit code ${code}`);
		});
	});
}

/**
 * Takes one scheduled backup now, checks that it restores, and keeps the newest `keep`. A failure
 * is logged in one line (what failed, never a row's contents) and answered false: it must never
 * stop the server. `environment` is the server's (its data keys and database).
 */
export async function runScheduledBackup(
	settings: BackupConfig,
	db: Db,
	cipher: Cipher,
	now = new Date(),
	environment: NodeJS.ProcessEnv = process.env
): Promise<boolean> {
	try {
		await backupInto(db.$client, settings.dir, cipher, {
			keep: settings.keep,
			now,
			check: (file) => checkBackup(file, environment)
		});
		return true;
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		console.error(`OneDoor backup failed: ${reason.replaceAll(/\s+/g, ' ')}`);
		return false;
	}
}

/**
 * Starts the server's own backups: every `everyMs` after the newest one in BACKUP_DIR (so a
 * restart neither skips nor repeats one). The timer never keeps the process alive. Refuses at
 * start-up, naming BACKUP_DIR, when the folder cannot be made or written. Returns a stop function.
 */
export function startBackups(settings: BackupConfig, db: Db, cipher: Cipher): () => void {
	try {
		mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
		accessSync(settings.dir, constants.W_OK);
	} catch {
		throw new ConfigError(
			`BACKUP_DIR must be a folder the server can write, but "${settings.dir}" is not.`
		);
	}
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	// The check runs with the server's own settings, `.env` included (which `vite dev` reads into
	// $env, not into process.env).
	const serverEnv = { ...process.env, ...env };
	const schedule = (delay: number) => {
		if (stopped) return;
		timer = setTimeout(() => {
			void runScheduledBackup(settings, db, cipher, new Date(), serverEnv).then(() =>
				schedule(settings.everyMs)
			);
		}, delay);
		timer.unref();
	};
	schedule(Math.max(settleMs, nextBackupDelay(settings.dir, settings.everyMs)));
	return () => {
		stopped = true;
		clearTimeout(timer);
	};
}
