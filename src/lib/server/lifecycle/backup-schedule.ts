import { accessSync, constants, mkdirSync } from 'node:fs';
import { ConfigError, type BackupConfig } from '$lib/server/config';
import type { Cipher } from '$lib/server/crypto';
import type { Db } from '$lib/server/db';
import { backupInto, nextBackupDelay } from './backup.js';

// The first backup after start-up waits this long at least, so it never competes with start-up.
const settleMs = 30_000;

/**
 * Takes one scheduled backup now and keeps the newest `keep`. A failure is logged in one line
 * (what failed, never a row's contents) and answered false: it must never stop the server.
 */
export async function runScheduledBackup(
	settings: BackupConfig,
	db: Db,
	cipher: Cipher,
	now = new Date()
): Promise<boolean> {
	try {
		await backupInto(db.$client, settings.dir, cipher, { keep: settings.keep, now });
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
	const schedule = (delay: number) => {
		if (stopped) return;
		timer = setTimeout(() => {
			void runScheduledBackup(settings, db, cipher).then(() => schedule(settings.everyMs));
		}, delay);
		timer.unref();
	};
	schedule(Math.max(settleMs, nextBackupDelay(settings.dir, settings.everyMs)));
	return () => {
		stopped = true;
		clearTimeout(timer);
	};
}
