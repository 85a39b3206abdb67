import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { migrateDatabase, openDatabase, useDatabase, type Db } from './index';
import { seedReference } from './reference';

declare module 'vitest' {
	export interface ProvidedContext {
		/** The migrated, seeded database file the vitest run's global setup made. */
		databaseTemplate?: string;
	}
}

/**
 * Makes a SQLite file with the real migrations and reference lists, closed so that its WAL is
 * checkpointed into it and the file alone is the whole database (it stays in WAL mode).
 */
export function migratedDatabaseFile(): string {
	const path = join(mkdtempSync(join(tmpdir(), 'onedoor-template-')), 'template.db');
	const db = openDatabase(path);
	migrateDatabase(db);
	seedReference(db);
	db.$client.close();
	return path;
}

// Migrating costs far more than copying: the run's global setup (testing.setup.ts) migrates one
// file, and each test copies it. Run some other way, a test process migrates once for itself.
let template: string | undefined;

/** A fresh SQLite file with the real migrations and reference lists, as the current database. */
export function freshDatabase(): { db: Db; path: string } {
	template ??= inject('databaseTemplate') ?? migratedDatabaseFile();
	const path = join(mkdtempSync(join(tmpdir(), 'onedoor-test-')), 'test.db');
	copyFileSync(template, path);
	const db = openDatabase(path);
	useDatabase(db);
	return { db, path };
}
