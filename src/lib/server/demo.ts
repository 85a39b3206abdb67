import { eq, like } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { hashSecret } from '$lib/server/auth/passwords';
import { seal } from '$lib/server/crypto';
import { cases, referrals, users } from '$lib/server/db/schema';
import type { Seeder } from '$lib/server/db/seed';
import * as caseChanges from '$lib/server/cases/changes';
import * as referralsModule from '$lib/server/referrals';
import { postStep, validSteps } from '$lib/server/testing/fixtures';

// Demo people refer themselves through the real journey code, so their rows are like anyone's;
// their answers start from the tests' valid set. Only the server's demo mode loads this module.
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
			let draftToken: string | undefined;
			const overrides = {
				...person.steps,
				passphrase: { passphrase: person.passphrase, confirm: person.passphrase }
			};
			for (const [step, fields] of validSteps(overrides)) {
				const saved = await postStep(draftToken, step as never, fields);
				if (saved.ok && saved.startedDraft) draftToken = saved.startedDraft;
			}
			const sent = await referralsModule.submit(draftToken);
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

/**
 * Demo staff with known passwords and TOTP secrets (already enrolled), so the console can be
 * tried at once: add the secret to an authenticator app, or run `node scripts/totp.js SECRET`.
 */
export const demoStaffAccounts = [
	{
		email: 'caseworker@onedoor.test',
		role: 'caseworker',
		name: 'Amira Khan',
		secret: 'KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD'
	},
	{
		email: 'supervisor@onedoor.test',
		role: 'supervisor',
		name: 'Jo Adeyemi',
		secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
	},
	{
		email: 'admin@onedoor.test',
		role: 'admin',
		name: 'Priya Shah',
		secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
	}
] as const;
export const demoStaffPassword = 'demo staff password';
export const demoRecoveryCode = 'demo-recovery-code';

export const demoStaff: Seeder = {
	name: 'demo-staff',
	async run(db: Db) {
		const password = await hashSecret(demoStaffPassword);
		for (const account of demoStaffAccounts) {
			db.insert(users)
				.values({
					role: account.role,
					email: account.email,
					nameSealed: seal(account.name),
					secretHash: password,
					totpSealed: seal(account.secret),
					recoveryHashes: [await hashSecret(demoRecoveryCode)]
				})
				.run();
		}
	}
};

/**
 * A demo partner worker at Shelter, its partner-admin, enrolled like the demo staff: the partner
 * area at /partner can be tried at once (it lists what has been sent to Shelter).
 */
export const demoPartnerAccounts = [
	{
		email: 'shelter@partner.test',
		agencyId: 'shelter',
		name: 'Sam Okoro',
		secret: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U'
	}
] as const;

export const demoPartners: Seeder = {
	name: 'demo-partners',
	async run(db: Db) {
		const password = await hashSecret(demoStaffPassword);
		for (const account of demoPartnerAccounts) {
			db.insert(users)
				.values({
					role: 'partner',
					agencyId: account.agencyId,
					partnerAdmin: true,
					email: account.email,
					nameSealed: seal(account.name),
					secretHash: password,
					totpSealed: seal(account.secret),
					recoveryHashes: [await hashSecret(demoRecoveryCode)]
				})
				.run();
		}
	}
};

/** The demo witness already has the demo caseworker as named contact, so the console has work. */
export const demoCaseload: Seeder = {
	name: 'demo-caseload',
	run(db: Db) {
		const witness = db
			.select({ id: cases.id })
			.from(cases)
			.innerJoin(referrals, eq(referrals.id, cases.referralId))
			.where(eq(referrals.draftId, 'demo:witness'))
			.get();
		const find = (email: string) => db.select().from(users).where(eq(users.email, email)).get();
		const supervisor = find('supervisor@onedoor.test');
		const caseworker = find('caseworker@onedoor.test');
		if (!witness || !supervisor || !caseworker) return;
		const row = db.select().from(cases).where(eq(cases.id, witness.id)).get()!;
		caseChanges.assign({ userId: supervisor.id, role: 'supervisor' }, row, caseworker.id);
	}
};

/** Every demo seeder, in order. */
export const demoSeeders: Seeder[] = [demoPeople, demoStaff, demoCaseload, demoPartners];

/** How to sign in as each demo person, for the start-up banner. */
export function demoSignIns(db: Db): string[] {
	const rows = db
		.select({ draftId: referrals.draftId, reference: cases.reference })
		.from(referrals)
		.innerJoin(cases, eq(cases.referralId, referrals.id))
		.where(like(referrals.draftId, 'demo:%'))
		.all();
	const personLines = rows.map((row) => {
		const person = people.find((p) => `demo:${p.key}` === row.draftId);
		return `  ${person?.key.padEnd(10)} /sign-in        reference ${row.reference}  passphrase "${person?.passphrase}"`;
	});
	const staffLines = demoStaffAccounts.map(
		(account) =>
			`  ${account.role.padEnd(10)} /staff/sign-in  ${account.email}  password "${demoStaffPassword}"  TOTP secret ${account.secret} (code: node scripts/totp.js ${account.secret})`
	);
	const partnerLines = demoPartnerAccounts.map(
		(account) =>
			`  ${'partner'.padEnd(10)} /partner/sign-in  ${account.email} (${account.agencyId})  password "${demoStaffPassword}"  TOTP secret ${account.secret} (code: node scripts/totp.js ${account.secret})`
	);
	return [...personLines, ...staffLines, ...partnerLines];
}
