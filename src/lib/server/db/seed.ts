import { eq } from 'drizzle-orm';
import type { Db } from './index';
import { seedRuns } from './schema';

/** A named piece of demo data; `$lib/server/demo.ts` lists them in order. */
export interface Seeder {
	name: string;
	run: (db: Db) => void | Promise<void>;
}

/** Runs every seeder that has not run on this database yet; returns the names it ran. */
export async function seed(db: Db, list: readonly Seeder[]): Promise<string[]> {
	const ran: string[] = [];
	for (const seeder of list) {
		const done = db.select().from(seedRuns).where(eq(seedRuns.name, seeder.name)).get();
		if (done) continue;
		await seeder.run(db);
		db.insert(seedRuns).values({ name: seeder.name }).run();
		ran.push(seeder.name);
	}
	return ran;
}
