import { eq, like } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { cases, referrals } from '$lib/server/db/schema';
import type { Seeder } from '$lib/server/db/seed';
import * as referralsModule from '$lib/server/referrals';
import { cookieJar, formData, validSteps } from '$lib/server/referrals/fixtures';

// Demo people refer themselves through the real journey code, so their rows are like anyone's.
type Fields = Record<string, Record<string, string | string[]>>;

const people: { key: string; passphrase: string; steps: Fields }[] = [
	{
		key: 'victim',
		passphrase: 'purple kettle river moon',
		steps: {
			'what-happened': { crimeType: 'domestic_abuse', when: 'ongoing', date: '' },
			contact: {
				channels: ['portal'],
				name: 'Sam',
				phone: '',
				email: '',
				voicemail: '',
				sayWhoWeAre: '',
				safeTimes: '',
				alternative: ''
			},
			language: { language: 'en', interpreter: 'no', accessNeeds: '' }
		}
	},
	{
		key: 'witness',
		passphrase: 'quiet orange bicycle lamp',
		steps: {
			who: { who: 'witness' },
			police: { police: 'reported', crimeReference: 'CAD4821/26' },
			needs: { needs: ['court'], childAtRisk: 'no' }
		}
	}
];

export const demoPeople: Seeder = {
	name: 'demo-people',
	async run(db: Db) {
		for (const person of people) {
			const cookies = cookieJar();
			const overrides = {
				...person.steps,
				passphrase: { passphrase: person.passphrase, confirm: person.passphrase }
			};
			for (const [step, fields] of validSteps(overrides)) {
				await referralsModule.saveStep(cookies, step as never, formData(fields));
			}
			const sent = referralsModule.submit(cookies);
			if (!sent.ok) throw new Error(`demo person ${person.key} is incomplete: ${sent.missing}`);
			db.update(referrals)
				.set({ draftId: `demo:${person.key}` })
				.where(
					eq(
						referrals.id,
						db.select().from(cases).where(eq(cases.id, sent.caseId)).get()!.referralId
					)
				)
				.run();
		}
	}
};

/** Every demo seeder, in order. */
export const demoSeeders: Seeder[] = [demoPeople];

/** How to sign in as each demo person, for the start-up banner. */
export function demoSignIns(db: Db): string[] {
	const rows = db
		.select({ draftId: referrals.draftId, reference: cases.reference })
		.from(referrals)
		.innerJoin(cases, eq(cases.referralId, referrals.id))
		.where(like(referrals.draftId, 'demo:%'))
		.all();
	return rows.map((row) => {
		const person = people.find((p) => `demo:${p.key}` === row.draftId);
		return `  ${person?.key.padEnd(8)} /sign-in  reference ${row.reference}  passphrase "${person?.passphrase}"`;
	});
}
