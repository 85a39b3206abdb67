import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migratedDatabaseFile } from './testing';

/**
 * Migrates one database file for the whole run; freshDatabase copies it for each test, so a test
 * gets the real migrations without applying all of them again.
 */
export default function setup(project: TestProject) {
	const template = migratedDatabaseFile();
	project.provide('databaseTemplate', template);
	return () => rmSync(dirname(template), { recursive: true, force: true });
}
