// Starts the built server on a fresh database file for the browser suite.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

rmSync(dirname(process.env.DATABASE_PATH ?? '.e2e/onedoor.db'), { recursive: true, force: true });
await import('../../server.js');
