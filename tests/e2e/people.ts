// Test data made through OneDoor's own domain modules, on the very SQLite file the built server
// under test uses (WAL lets both processes write). The referral journey itself is driven end to
// end in the browser once in each JavaScript mode (referral.spec.ts); every other test starts from
// a person or a draft made here.
import { eq } from 'drizzle-orm';
import type { StepSlug } from '$lib/referral/steps';
// The two case modules it needs, not `$lib/server/cases`: that reaches the outbox and i18n, whose
// locale glob only Vite can load.
import * as caseAccess from '$lib/server/cases/access';
import * as caseChanges from '$lib/server/cases/changes';
import { createCipher, parseDataKey, seal, useCipher } from '$lib/server/crypto';
import { database, openDatabase, useDatabase } from '$lib/server/db';
import { users } from '$lib/server/db/schema';
import * as messages from '$lib/server/messages';
import * as referrals from '$lib/server/referrals';
import { postStep } from '$lib/server/testing/fixtures';
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
	['passphrase', { passphrase: 'silver teapot garden rain', confirm: 'silver teapot garden rain' }]
];

/** Answers to change from the defaults above, step by step. */
export type StepOverrides = Record<string, Record<string, string | string[]>>;

/**
 * Runs a write again when the server held the database at that moment. Two processes share the
 * file here. Transactions begin IMMEDIATE and wait out the busy timeout (`openDatabase`); a
 * deferred one, which a raw `$client` transaction still is, gets SQLITE_BUSY at once when it must
 * upgrade to write while the server writes (SQLite's documented behaviour), so it is tried again.
 */
export async function retrying<T>(write: () => T | Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await write();
		} catch (error) {
			const code =
				(error as { code?: string; cause?: { code?: string } }).code ??
				(error as { cause?: { code?: string } }).cause?.code;
			if (attempt >= 20 || !code?.startsWith('SQLITE_BUSY')) throw error;
			await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
		}
	}
}

let opened = false;
/** Opens the suite's database and data key in this worker, once. */
export function connect() {
	if (opened) return;
	useDatabase(openDatabase(databasePath));
	useCipher(createCipher(parseDataKey(serverEnv.DATA_KEY)));
	opened = true;
}

/**
 * A referral draft answered step by step through the real referral module, as the forms would
 * post it, leaving out the steps a test answers itself in the browser. Returns the draft's token:
 * the value of the browser's `od_referral` cookie.
 */
export async function referralDraft(
	overrides: StepOverrides = {},
	leaveOut: StepSlug[] = []
): Promise<string> {
	connect();
	let draftToken: string | undefined;
	for (const [step, fields] of steps) {
		if (leaveOut.includes(step)) continue;
		const answers = overrides[step] ?? fields;
		const saved = await retrying(() => postStep(draftToken, step, answers));
		if (!saved.ok) throw new Error(`step ${step} refused: ${JSON.stringify(saved.failure.data)}`);
		draftToken ??= saved.startedDraft;
	}
	if (!draftToken) throw new Error('no draft was started');
	return draftToken;
}

/** A new person whose referral went through the real referral module; returns how they sign in. */
export async function newPerson(
	passphrase = 'silver teapot garden rain',
	email?: string,
	overrides: StepOverrides = {}
): Promise<{ reference: string; passphrase: string }> {
	const draftToken = await referralDraft({
		passphrase: { passphrase, confirm: passphrase },
		...(email ? { contact: { channels: ['email'], email } } : {}),
		...overrides
	});
	const sent = await retrying(() => referrals.submit(draftToken));
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
export async function assignToCaseworker(reference: string): Promise<void> {
	const supervisor = staffMember('supervisor@onedoor.test');
	const found = caseAccess.find(supervisor, reference);
	if (!found.ok) throw new Error(`no case ${reference}`);
	const caseworkerId = staffMember('caseworker@onedoor.test').userId;
	const assigned = await retrying(() => caseChanges.assign(supervisor, found.row, caseworkerId));
	if (!assigned.ok) throw new Error(`not assigned: ${assigned.error}`);
}

/** A new caseworker, Nadia Okafor, who never signs in here: their id and email. */
async function newColleague(): Promise<{ id: string; email: string }> {
	connect();
	const email = `colleague-${crypto.randomUUID()}@onedoor.test`;
	const id = await retrying(
		() =>
			database()
				.insert(users)
				.values({ role: 'caseworker', email, nameSealed: seal('Nadia Okafor') })
				.returning()
				.get().id
	);
	return { id, email };
}

/**
 * The demo supervisor gives the case to a new colleague: it leaves the demo caseworker's caseload.
 * Answers the colleague's email.
 */
export async function reassignToColleague(reference: string): Promise<string> {
	const supervisor = staffMember('supervisor@onedoor.test');
	const found = caseAccess.find(supervisor, reference);
	if (!found.ok) throw new Error(`no case ${reference}`);
	const colleague = await newColleague();
	const assigned = await retrying(() => caseChanges.assign(supervisor, found.row, colleague.id));
	if (!assigned.ok) throw new Error(`not reassigned: ${assigned.error}`);
	return colleague.email;
}

/** The demo supervisor closes the person's case (support declined). */
export async function closeCase(reference: string): Promise<void> {
	const supervisor = staffMember('supervisor@onedoor.test');
	const found = caseAccess.find(supervisor, reference);
	if (!found.ok) throw new Error(`no case ${reference}`);
	const closed = await retrying(() =>
		caseChanges.close(supervisor, found.row, 'support_declined', true)
	);
	if (!closed.ok) throw new Error(`not closed: ${closed.error}`);
}

/**
 * A conversation of `count` messages on the person's case, "Message 1" to "Message <count>",
 * taking turns between the person and a colleague of their own (so no other test's messages
 * count against five a minute), a minute apart and ending a minute ago.
 */
export async function longConversation(reference: string, count: number): Promise<void> {
	const found = caseAccess.find(staffMember('supervisor@onedoor.test'), reference);
	if (!found.ok) throw new Error(`no case ${reference}`);
	const colleague = (await newColleague()).id;
	const start = Date.now() - (count + 1) * 61_000;
	for (let n = 1; n <= count; n++) {
		const [side, author] =
			n % 2 === 1 ? (['person', found.row.personId] as const) : (['staff', colleague] as const);
		const at = new Date(start + n * 61_000);
		const sent = await retrying(() =>
			messages.send(found.row.id, side, author, `Message ${n}`, at)
		);
		if (!sent.ok) throw new Error(`message ${n} not sent: ${sent.error}`);
	}
}

/**
 * The person's case, as their caseworker has filled it in: a hearing at one court and a referral
 * to a partner agency an admin has just added (with its English description only), which the
 * person agreed to (their caseworker recorded it).
 */
export async function withHearingAndNewAgency(
	reference: string,
	courtId: string,
	agency: { name: string; does: string }
): Promise<void> {
	const { addAgency, agencyId, propose, recordConsent, forCase } =
		await import('$lib/server/partners');
	const { recordHearing } = await import('$lib/server/court');
	await assignToCaseworker(reference);
	const caseworker = staffMember('caseworker@onedoor.test');
	const admin = staffMember('admin@onedoor.test');
	const added = await retrying(() => addAgency(admin, { ...agency, helpsWith: ['money'] }));
	if (!added.ok) throw new Error(`agency not added: ${added.error}`);
	const found = caseAccess.find(caseworker, reference);
	if (!found.ok) throw new Error(`no case ${reference}`);
	const startsAt = new Date(Date.now() + 30 * 86_400_000);
	const hearing = await retrying(() =>
		recordHearing(caseworker, found.row, { courtId, startsAt, type: 'trial' })
	);
	if (!hearing.ok) throw new Error(`hearing not recorded: ${hearing.error}`);
	const words = { reason: 'Debts after the fraud.', summary: 'Needs advice on debts.' };
	const proposed = await retrying(() =>
		propose(caseworker, found.row, agencyId(agency.name), words)
	);
	if (!proposed.ok) throw new Error(`not proposed: ${proposed.error}`);
	const [referral] = forCase(found.row.id);
	const referred = await retrying(() =>
		recordConsent(caseworker, found.row, referral!.id, 'Agreed by phone.')
	);
	if (!referred.ok) throw new Error(`not referred: ${referred.error}`);
}

/**
 * A partner agency an admin has just added, with a shared inbox for its notices; returns its id.
 * Each spec run makes its own, so no other test's referrals land in its inbox.
 */
export async function agencyWithInbox(name: string, inbox: string): Promise<string> {
	const { addAgency, agencyId, setInbox } = await import('$lib/server/partners');
	const admin = staffMember('admin@onedoor.test');
	const added = await retrying(() =>
		addAgency(admin, { name, does: 'Advice and support.', helpsWith: ['practical'] })
	);
	if (!added.ok) throw new Error(`agency not added: ${added.error}`);
	const id = agencyId(name);
	const set = await retrying(() => setInbox(admin, id, inbox));
	if (!set.ok) throw new Error(`inbox not set: ${set.error}`);
	return id;
}
