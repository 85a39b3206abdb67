import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, openDatabase, useDatabase, type Db } from './index';
import { seedReference } from './reference';

/** A fresh SQLite file with the real migrations and reference lists, as the current database. */
export function freshDatabase(): { db: Db; path: string } {
	const path = join(mkdtempSync(join(tmpdir(), 'onedoor-test-')), 'test.db');
	const db = openDatabase(path);
	migrateDatabase(db);
	seedReference(db);
	useDatabase(db);
	return { db, path };
}
