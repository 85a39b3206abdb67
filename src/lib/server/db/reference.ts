import { londonCourts } from '$lib/server/court/london-courts';
import { partnerAgencies as agencySeeds } from '$lib/server/partners/agencies';
import type { Db } from './index';
import { courts, partnerAgencies } from './schema';

/**
 * The lists every deployment starts with: London's courts and the partner agencies. Run at every
 * start-up; a row that is already there is left as it is, so an admin's change to it survives.
 */
export function seedReference(db: Db): void {
	db.transaction((tx) => {
		for (const court of londonCourts) tx.insert(courts).values(court).onConflictDoNothing().run();
		for (const agency of agencySeeds) {
			tx.insert(partnerAgencies)
				.values({ ...agency, helpsWith: [...agency.helpsWith] })
				.onConflictDoNothing()
				.run();
		}
	});
}
