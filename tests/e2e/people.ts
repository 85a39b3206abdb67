// Test data made through OneDoor's own domain modules, on the very SQLite file the built server
// under test uses (WAL lets both processes write). The referral journey itself is driven end to
// end in the browser by referral.spec.ts; every other spec starts from a person made here.
import { eq } from 'drizzle-orm';
import type { StepSlug } from '$lib/referral/steps';
import * as cases from '$lib/server/cases';
import { createCipher, parseDataKey, useCipher } from '$lib/server/crypto';
import { database, openDatabase, useDatabase } from '$lib/server/db';
import { users } from '$lib/server/db/schema';
import * as referrals from '$lib/server/referrals';
import { cookieJar, formData } from '$lib/server/referrals/fixtures';
import { databasePath, serverEnv } from '../../playwright.config';

const steps: [StepSlug, Record<string, string | string[]>][] = [
	['safe-now', { safeNow: 'safe' }],
	['who', { who: 'victim' }],
	['what-happened', { crimeType: 'fraud', when: 'month', date: '' }],
	['account', { account: '' }],
	['police', { police: 'not_reported', crimeReference: '' }],
	['needs', { needs: ['money'], childAtRisk: 'no' }],
	['contact', { channels: ['portal'] }],
	['language', { language: 'en', interpreter: 'no', accessNeeds: '' }],
	['consent', {}],
	['passphrase', {}]
];

/** Answers to change from the defaults above, step by step. */
export type StepOverrides = Record<string, Record<string, string | string[]>>;

let opened = false;
/** Opens the suite's database and data key in this worker, once. */
function connect() {
	if (opened) return;
	useDatabase(openDatabase(databasePath));
	useCipher(createCipher(parseDataKey(serverEnv.DATA_KEY)));
	opened = true;
}

/** A new person whose referral went through the real referral module; returns how they sign in. */
export async function newPerson(
	passphrase = 'silver teapot garden rain',
	email?: string,
	overrides: StepOverrides = {}
): Promise<{ reference: string; passphrase: string }> {
	connect();
	const jar = cookieJar();
	for (const [step, fields] of steps) {
		const answers =
			overrides[step] ??
			(step === 'passphrase'
				? { passphrase, confirm: passphrase }
				: step === 'contact' && email
					? { channels: ['email'], email }
					: fields);
		const saved = await referrals.saveStep(jar, step, formData(answers));
		if (!saved.ok) throw new Error(`step ${step} refused: ${JSON.stringify(saved.errors)}`);
	}
	const sent = referrals.submit(jar);
	if (!sent.ok) throw new Error(`referral not sent, missing ${sent.missing.join(', ')}`);
	return { reference: sent.reference, passphrase };
}

/** A demo staff member as the case modules see them. */
function staffMember(email: string) {
	connect();
	const row = database().select().from(users).where(eq(users.email, email)).get();
	if (!row) throw new Error(`no staff member ${email}`);
	return { userId: row.id, role: row.role };
}

/** The demo supervisor names the demo caseworker (Amira) as the person's named contact. */
export function assignToCaseworker(reference: string): void {
	const supervisor = staffMember('supervisor@onedoor.test');
	const found = cases.access.find(supervisor, reference);
	if (!found.ok) throw new Error(`no case ${reference}`);
	const assigned = cases.changes.assign(
		supervisor,
		found.row,
		staffMember('caseworker@onedoor.test').userId
	);
	if (!assigned.ok) throw new Error(`not assigned: ${assigned.error}`);
}
