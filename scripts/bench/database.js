// The bench's database at London's scale, built through OneDoor's own modules (loaded by
// ./modules.js): the committed migrations, the sealing cipher, the referral module's steps and
// submit, the case command that closes and assigns, and the messages module.
//
// One thing differs from a real referral, so 100,000 of them take minutes, not 30: every bench
// person's passphrase hash is one argon2 hash made once (a real submission makes one each).
// The referrals go in large transactions, the submitted drafts are discarded at once (a real one
// expires after an hour), the notices the outbox holds are marked sent (a live service has sent
// them), and each case's dates are spread over the past (a live queue is not made in a minute).
import { renameSync, rmSync, statSync } from 'node:fs';
import { serverModules } from './modules.js';

/**
 * How to sign in to the built database, saved beside it.
 * @typedef {object} BenchData
 * @property {number} version the builder's layout version; a different one is rebuilt
 * @property {string[]} migrations the migration tags it was built with
 * @property {number} cases bench cases (the demo staff's own data aside)
 * @property {number} open open cases: all unassigned but the conversation's
 * @property {number} messages messages on the conversation case
 * @property {string} passphrase every bench person's passphrase
 * @property {string} conversation the reference of the case with the long conversation
 * @property {string} person the reference of an ordinary open case (for `GET /my`)
 * @property {string} search a name typed into the console's search (matches a few cases)
 * @property {{ email: string, password: string, secret: string }} supervisor
 * @property {{ email: string, password: string, secret: string }} caseworker
 * @property {number} seconds how long the build took
 * @property {string} builtAt
 */

/** Bumped when what the builder makes changes, so an older cached file is rebuilt. */
export const layoutVersion = 2;

const passphrase = 'bench lantern harbour tide';
const firstNames = [
	'Amara', 'Bogdan', 'Chloe', 'Deepa', 'Emeka', 'Fatima', 'Grace', 'Hassan', 'Ioana', 'Jamal',
	'Kasia', 'Leila', 'Marek', 'Nadia', 'Oluwaseun', 'Priya', 'Rui', 'Sofia', 'Tunde', 'Yusuf'
]; // prettier-ignore
const surnames = [
	'Okafor', 'Nowak', 'Popescu', 'Rahman', 'Silva', 'Begum', 'Yilmaz', 'Patel', 'Hussain',
	'Kowalski', 'Mensah', 'Costa', 'Ahmed', 'Ionescu', 'Kaur', 'Singh', 'Osei', 'Warsame',
	'Brown', 'Murphy', 'Garcia', 'Campbell', 'Khan', 'Ali', 'Santos'
]; // prettier-ignore
const languages = ['en', 'pl', 'ar', 'ro'];
const outcomes = ['support_completed', 'support_declined', 'no_contact', 'referred_on', 'other'];
const sentences = [
	'Thank you for calling me back yesterday.',
	'I have a question about the letter from the police.',
	'Could we talk on Thursday morning instead? Afternoons are hard because of the children.',
	'The housing officer said she would write to you this week, has she been in touch?',
	'I did not sleep well again, but talking to you helped.',
	'Yes, the pre-trial visit on the 14th works for me and my sister would like to come too.',
	'I will bring the papers you asked for.'
];

/**
 * The name of bench person `n`: 500 combinations, so a full-name search matches a few hundred
 * cases among 100,000 and a list shows every kind of row.
 * @param {number} n
 */
function nameOf(n) {
	return `${firstNames[n % firstNames.length]} ${surnames[Math.floor(n / firstNames.length) % surnames.length]}`;
}

/**
 * Builds the bench database at `path` (replacing what is there) through the real modules.
 * @param {object} options
 * @param {string} options.path where the finished file goes
 * @param {string} options.dataKey the DATA_KEY the bench server runs with
 * @param {number} options.cases how many bench cases in all
 * @param {number} options.open how many of them stay open: unassigned, but for the one with the
 *   conversation (the rest are closed)
 * @param {number} options.messages how many messages on the one conversation case
 * @param {(line: string) => void} options.log
 * @returns {Promise<BenchData>}
 */
export async function buildDatabase({ path, dataKey, cases, open, messages, log }) {
	const started = performance.now();
	const modules = await serverModules();
	try {
		/** @param {string} file */
		const load = (file) => modules.load(`server/${file}`);
		const dbModule = await load('db/index.ts');
		const crypto = await load('crypto/index.ts');
		const { seed } = await load('db/seed.ts');
		const { seedReference } = await load('db/reference.ts');
		const schema = await load('db/schema.ts');
		const demo = await load('demo.ts');
		const passwords = await load('auth/passwords.ts');
		const referrals = await load('referrals/index.ts');
		const caseChanges = await load('cases/changes.ts');
		const clock = await load('cases/clock.ts');
		const conversation = await load('messages/index.ts');
		const { postStep, validSteps } = await load('testing/fixtures.ts');
		const { crimeTypes, needChoices } = await modules.load('referral/steps.ts');

		const building = `${path}.building`;
		for (const suffix of ['', '-wal', '-shm']) rmSync(building + suffix, { force: true });
		const db = dbModule.useDatabase(dbModule.openDatabase(building));
		// A throwaway file, written once: not flushed at every commit as the server's is. The
		// server that is measured opens the finished copy with its own settings.
		db.$client.pragma('synchronous = OFF');
		dbModule.migrateDatabase(db);
		seedReference(db);
		crypto.useCipher(crypto.createCipher(crypto.parseDataKey(dataKey)));
		// The demo staff (known password and TOTP secret), made by the demo's own seeder.
		await seed(db, [demo.demoStaff]);
		/** @param {string} email */
		const staffMember = (email) => {
			const row = db.$client.prepare('select id, role from users where email = ?').get(email);
			return { userId: row.id, role: row.role };
		};
		const supervisor = staffMember('supervisor@onedoor.test');
		const caseworker = staffMember('caseworker@onedoor.test');
		const sharedHash = await passwords.hashSecret(passphrase);

		/** @param {number} n */
		const variant = (n) => ({
			crimeType: crimeTypes[n % crimeTypes.length],
			need: needChoices[n % needChoices.length],
			language: languages[n % languages.length]
		});
		// Each kind of referral's answers, as the referral module's own steps check and keep them
		// (on a scratch draft, once per kind); each bench referral then differs in name and account.
		/** @type {Map<string, Record<string, any>>} */
		const kinds = new Map();
		for (let n = 0; n < crimeTypes.length * needChoices.length * languages.length; n++) {
			const { crimeType, need, language } = variant(n);
			const key = `${crimeType}|${need}|${language}`;
			if (kinds.has(key)) continue;
			const steps = validSteps({
				'what-happened': { crimeType, when: 'month', date: '' },
				needs: { needs: [need], childAtRisk: 'no' },
				contact: { channels: ['portal'], name: 'Bench' },
				language: { language, interpreter: 'no', accessNeeds: '' }
			});
			const { draft } = referrals.drafts.findOrStart(undefined);
			for (const [step, fields] of steps) {
				if (step === 'passphrase') continue;
				// Checked by the form helper the step's page uses, then saved by the referral module.
				const saved = await postStep(draft.id, step, fields);
				if (!saved.ok) throw new Error(`bench step ${step} refused: ${JSON.stringify(saved)}`);
			}
			kinds.set(key, referrals.drafts.answersOf(referrals.drafts.find(draft.id)));
			referrals.drafts.discard(draft.id);
		}

		/**
		 * One referral: a draft holding answers of its kind, with the shared passphrase hash, sent by
		 * the referral module's own commit (`commitReferral`, which `submit` waits on) (one user, referral, case, event and notice).
		 * @param {number} n
		 */
		const refer = (n) => {
			const { crimeType, need, language } = variant(n);
			const answers = structuredClone(kinds.get(`${crimeType}|${need}|${language}`));
			if (!answers) throw new Error(`no bench answers for referral ${n}`);
			answers.contact.name = nameOf(n);
			answers.account.account = `${sentences[n % sentences.length]} Bench account ${n}.`;
			const { draft } = referrals.drafts.findOrStart(undefined);
			referrals.drafts.saveAnswers(draft, answers, sharedHash);
			const sent = referrals.commitReferral(draft.id);
			if (!sent.ok) throw new Error(`bench referral ${n} refused, missing ${sent.missing}`);
			referrals.drafts.discard(draft.id);
			return sent;
		};

		/** @type {{ reference: string, id: string }[]} */
		const opened = [];
		const batch = 2000;
		for (let first = 0; first < cases; first += batch) {
			db.$client.transaction(() => {
				for (let n = first; n < Math.min(cases, first + batch); n++) {
					const sent = refer(n);
					if (n < open) {
						opened.push({ reference: sent.reference, id: sent.caseId });
						continue;
					}
					const closed = caseChanges.close(
						supervisor,
						{ id: sent.caseId },
						outcomes[n % outcomes.length]
					);
					if (!closed.ok) throw new Error(`bench case ${n} not closed: ${closed.error}`);
				}
			})();
			const done = Math.min(cases, first + batch);
			if (done % 10_000 === 0 || done === cases) {
				log(`  ${done} cases (${((performance.now() - started) / 1000).toFixed(0)} s)`);
			}
		}

		// The long conversation: the last open case, with the demo caseworker as named contact.
		const talking = opened.pop();
		if (!talking) throw new Error('the bench needs at least one open case');
		const assigned = caseChanges.assign(supervisor, { id: talking.id }, caseworker.userId);
		if (!assigned.ok) throw new Error(`conversation case not assigned: ${assigned.error}`);
		const personId = db.$client
			.prepare('select person_id from cases where id = ?')
			.pluck()
			.get(talking.id);
		const now = Date.now();
		db.$client.transaction(() => {
			for (let i = 0; i < messages; i++) {
				// Ten minutes apart, in the past, so the five-a-minute limit never refuses one.
				const at = new Date(now - (messages - i) * 600_000);
				const side = i % 3 === 2 ? 'staff' : 'person';
				const author = side === 'staff' ? caseworker.userId : personId;
				const text = sentences.slice(0, 1 + (i % sentences.length)).join(' ');
				const sent = conversation.send(talking.id, side, author, text, at);
				if (!sent.ok) throw new Error(`bench message ${i} refused: ${sent.reason}`);
			}
		})();
		conversation.markRead(talking.id, 'person');
		conversation.markRead(talking.id, 'staff');

		// A live service has sent its notices and has a queue that built up over time.
		db.$client.transaction(() => {
			db.update(schema.outbox)
				.set({ status: 'sent', attempts: 1, channel: 'portal', sentAt: new Date() })
				.run();
			const age = db.$client.prepare(
				'update cases set created_at = ?, updated_at = ?, first_contact_due_at = ? where id = ?'
			);
			const ids = db.$client.prepare('select id, status, priority from cases order by rowid').all();
			ids.forEach((row, i) => {
				// Open cases over the last 30 days (many past their first-contact target), closed
				// ones over three years.
				const days =
					row.id === talking.id ? 30 : row.status === 'closed' ? 30 + (i % 1065) : i % 30;
				const at = now - days * 86_400_000 - (i % 86_400) * 1000;
				// The due date follows the back-dated opening, as openCase computes it.
				age.run(at, at, clock.firstContactDue(new Date(at), row.priority).getTime(), row.id);
			});
		})();
		// No VACUUM: it would pack every index page full, as no live service's are (nothing in
		// OneDoor runs one). A new case then split a page in each of the cases' indexes, and a
		// referral's commit wrote 151 pages to the log; on a database grown by inserts, as this one, 50.
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		db.$client.close();
		for (const suffix of ['-wal', '-shm']) rmSync(building + suffix, { force: true });
		renameSync(building, path);

		const seconds = (performance.now() - started) / 1000;
		log(`  built in ${seconds.toFixed(0)} s, ${(statSync(path).size / 2 ** 20).toFixed(0)} MB`);
		const staffPassword = demo.demoStaffPassword;
		/** @param {string} email */
		const account = (email) => ({
			email,
			password: staffPassword,
			secret: demo.demoStaffAccounts.find((/** @type {{ email: string }} */ a) => a.email === email)
				.secret
		});
		return {
			version: layoutVersion,
			migrations: [],
			cases,
			open,
			messages,
			passphrase,
			conversation: talking.reference,
			person: opened[0]?.reference ?? talking.reference,
			search: nameOf(7),
			supervisor: account('supervisor@onedoor.test'),
			caseworker: account('caseworker@onedoor.test'),
			seconds,
			builtAt: new Date().toISOString()
		};
	} finally {
		await modules.close();
	}
}
