import { expect, type Browser, type Page } from '@playwright/test';
import { expectAccessible, test } from './helpers';
import { messages } from './messages';
import { agencyWrites, sharedWith } from './partners';
import {
	assignToCaseworker,
	closeCase,
	newPerson,
	reassignToColleague,
	type StepOverrides
} from './people';
import { staffPage } from './staff';

const pl = messages('pl');

// A Polish-speaking victim of domestic abuse who said portal messages are the only safe route.
const referral = (share: boolean): StepOverrides => ({
	'what-happened': { crimeType: 'domestic_abuse', when: 'ongoing', date: '' },
	contact: {
		channels: ['phone'],
		name: 'Ewa Nowak',
		phone: '07700 900123',
		voicemail: 'no',
		sayWhoWeAre: 'no',
		safeTimes: 'weekdays 10:00-12:00'
	},
	language: { language: 'pl', interpreter: 'no', accessNeeds: '' },
	consent: share ? { share: 'yes' } : {}
});

async function choose(page: Page, label: string, option: string, button: string) {
	await page.getByLabel(label, { exact: true }).selectOption({ label: option });
	await page.getByRole('button', { name: button }).click();
}

test('triage: the supervisor finds a new referral, reads the safe-contact rules first and names the contact @once', async ({
	browser
}) => {
	const person = await newPerson(undefined, undefined, referral(true));

	// The supervisor finds the new referral in the queue, urgent first, and opens it.
	const supervisor = await staffPage(browser, 'supervisor');
	await supervisor.goto('/staff');
	await expect(supervisor.getByRole('heading', { name: 'Your team' })).toBeVisible();
	await expectAccessible(supervisor);
	await supervisor.getByRole('link', { name: 'Cases', exact: true }).click();
	await expect(supervisor.getByRole('heading', { name: 'Cases' })).toBeVisible();
	await expect(supervisor.getByLabel('Status')).toHaveValue('triage');
	await expectAccessible(supervisor);
	await supervisor.getByLabel('Reference or name').fill(person.reference);
	await supervisor.getByRole('button', { name: 'Show cases' }).click();
	const row = supervisor.getByRole('row').filter({ hasText: person.reference });
	await expect(row).toContainText('Ewa Nowak');
	await expect(row).toContainText('Due in');
	await expectAccessible(supervisor, 'searched');
	await row.getByRole('link', { name: person.reference }).click();

	// The safe-contact rules come first, before any detail or action.
	const rules = supervisor.getByRole('region', { name: 'Safe contact: read before any contact' });
	await expect(rules).toContainText('Not safe to leave a voicemail.');
	await expect(rules).toContainText('Do not say who we are');
	await expect(rules).toContainText('Safe times: weekdays 10:00-12:00');
	await expectAccessible(supervisor);

	await choose(
		supervisor,
		'Named contact',
		'caseworker@onedoor.test (caseworker)',
		'Save named contact'
	);
	await expect(supervisor.getByRole('status')).toContainText('Named contact saved');
	await expect(supervisor.getByText('Amira (caseworker@onedoor.test)')).toBeVisible();
	await expectAccessible(supervisor);
});

/** A surname no other test uses, so the queue's search finds only this test's people. */
const uniqueSurname = (stem: string) =>
	stem +
	Array.from({ length: 8 }, () => 'abcdefghijkmnpqrstuvwxyz'[Math.floor(Math.random() * 24)]).join(
		''
	);

test('a named contact’s row on the supervisor’s home leads to the open cases it counts @once', async ({
	browser
}) => {
	// A colleague of their own, holding this one case (others' tests give the demo caseworker more).
	const person = await newPerson();
	await assignToCaseworker(person.reference);
	const colleague = await reassignToColleague(person.reference);
	const supervisor = await staffPage(browser, 'supervisor');
	await supervisor.goto('/staff');
	const row = supervisor
		.getByRole('table', { name: 'Open cases by named contact' })
		.getByRole('row')
		.filter({ hasText: colleague });
	await expect(row.getByRole('cell').nth(1)).toHaveText('1');
	await row.getByRole('link', { name: colleague }).click();
	await expect(supervisor.getByRole('status')).toHaveText('1 case');
	await expect(supervisor.getByRole('row').filter({ hasText: person.reference })).toBeVisible();
});

test('whole names typed in the queue’s search find the case, whatever their accents or case @once', async ({
	browser
}) => {
	const surname = uniqueSurname('Wiśniewska');
	const person = await newPerson(undefined, undefined, {
		...referral(true),
		contact: { channels: ['portal'], name: `Łucja ${surname}` }
	});
	const supervisor = await staffPage(browser, 'supervisor');
	await supervisor.goto('/staff/cases?status=open');
	await supervisor.getByLabel('Reference or name').fill(`LUCJA ${surname.replace('ś', 's')}`);
	await supervisor.getByRole('button', { name: 'Show cases' }).click();
	await expect(supervisor.getByRole('status')).toHaveText('1 case');
	await expect(supervisor.getByRole('row').filter({ hasText: person.reference })).toContainText(
		`Łucja ${surname}`
	);
	// A name typed in the search never reaches the address: history and logs keep addresses. It
	// travels sealed, as one opaque token, left out here: a thousand random base64url characters
	// may hold a five-letter word by chance.
	const typed = `LUCJA ${surname.replace('ś', 's')}`;
	const address = new URL(supervisor.url());
	expect(address.searchParams.get('search')).toMatch(/^[\w-]{100,}$/);
	address.searchParams.delete('search');
	for (const word of typed.toLowerCase().split(' ')) {
		expect(decodeURIComponent(address.href).toLowerCase()).not.toContain(word);
	}
	await expect(supervisor.getByLabel('Reference or name')).toHaveValue(typed);
	// The search's address opens nothing for anyone else, and says so.
	const worker = await staffPage(browser, 'caseworker');
	await worker.goto(supervisor.url());
	await expect(worker.getByText('That search has ended')).toBeVisible();
	await expect(worker.getByLabel('Reference or name')).toHaveValue('');
	// Whole names only: part of one finds nothing.
	await supervisor.getByLabel('Reference or name').fill(surname.slice(0, 8));
	await supervisor.getByRole('button', { name: 'Show cases' }).click();
	await expect(supervisor.getByRole('status')).toHaveText('0 cases');
});

test('the queue pages 50 cases at a time, with links that work without JavaScript @once', async ({
	browser
}) => {
	// 51 referrals, each through the referral module with its passphrase hash (4–6 s in all).
	const surname = uniqueSurname('Paging');
	const people: string[] = [];
	for (let i = 0; i < 51; i++) {
		const person = await newPerson(undefined, undefined, {
			contact: { channels: ['portal'], name: `Ada ${surname}` }
		});
		people.push(person.reference);
	}
	const supervisor = await staffPage(browser, 'supervisor');
	await supervisor.goto('/staff/cases?status=open');
	await supervisor.getByLabel('Reference or name').fill(surname);
	await supervisor.getByRole('button', { name: 'Show cases' }).click();
	// The console ships no framework script: with JavaScript on, these links are the plain ones a
	// browser without it follows (so this runs once, @once).
	await expect(supervisor.locator('link[rel="modulepreload"], script[type="module"]')).toHaveCount(
		0
	);
	await expect(supervisor.getByRole('status')).toHaveText(
		'Showing 50 of 51 cases, most urgent first.'
	);
	const references = () =>
		supervisor
			.getByRole('table', { name: 'Cases, most urgent first' })
			.getByRole('link')
			.allTextContents();
	const first = await references();
	expect(first).toHaveLength(50);
	const pages = supervisor.getByRole('navigation', { name: 'Pages of cases' });
	await expect(pages.getByRole('link', { name: 'First page' })).toHaveCount(0);
	await pages.getByRole('link', { name: 'Next page' }).click();
	await expect(supervisor.getByRole('status')).toHaveText(
		'Showing 1 of 51 cases, most urgent first.'
	);
	const second = await references();
	expect(second).toHaveLength(1);
	// Every case once, across the two pages.
	expect([...first, ...second].sort()).toEqual([...people].sort());
	await expect(pages.getByRole('link', { name: 'Next page' })).toHaveCount(0);
	// The filters travel with the page links, and the name never shows in the address.
	await expect(supervisor.getByLabel('Reference or name')).toHaveValue(surname);
	expect(supervisor.url()).toContain('status=open');
	expect(supervisor.url()).not.toContain(surname);
	await expectAccessible(supervisor, 'second page');
	await pages.getByRole('link', { name: 'First page' }).click();
	await expect(supervisor.getByRole('status')).toHaveText(
		'Showing 50 of 51 cases, most urgent first.'
	);
	expect(await references()).toEqual(first);
});

test('the named contact records first contact by a safe route, a note, a status, needs and a DASH over the MARAC threshold @once', async ({
	browser
}) => {
	const person = await newPerson(undefined, undefined, referral(true));
	await assignToCaseworker(person.reference);
	const worker = await staffPage(browser, 'caseworker');
	await worker.goto('/staff');
	await expectAccessible(worker);
	await worker
		.getByRole('table', { name: 'Your open cases, most urgent first' })
		.getByRole('link', { name: person.reference })
		.click();
	// Only routes the person said are safe can be recorded as the first contact.
	const routes = worker.getByLabel('First contact made by').locator('option');
	await expect(routes).toHaveText(['Choose…', 'phone call']);
	await choose(worker, 'First contact made by', 'phone call', 'Record first contact');
	await expect(worker.getByRole('status')).toContainText('First contact recorded');

	// A blank note is refused with a clear error, and nothing is added.
	await worker.getByRole('button', { name: 'Add note' }).click();
	await expect(worker.getByRole('alert')).toContainText('Write the note');
	await expect(worker.getByLabel('Internal note')).toHaveAttribute('aria-invalid', 'true');
	await expectAccessible(worker);
	await worker.getByLabel('Internal note').fill('Partner may read texts. Keep calls short.');
	await worker.getByRole('button', { name: 'Add note' }).click();
	await expect(worker.getByRole('status')).toContainText('Note added');
	await choose(worker, 'Move the case to', 'Support under way', 'Change status');
	await expect(worker.getByRole('status')).toContainText('Status changed');

	// Needs and risk, with a DASH checklist over the MARAC threshold.
	await worker.getByRole('link', { name: 'Needs and risk' }).click();
	await worker.getByLabel('Housing').check();
	await worker.getByLabel('Medium').check();
	await worker.getByRole('button', { name: 'Save needs and risk' }).click();
	await expect(worker.getByRole('status')).toContainText('Needs and risk saved');
	const checklist = worker.getByRole('group', { name: /Answered yes/ });
	for (const box of (await checklist.getByRole('checkbox').all()).slice(0, 14)) await box.check();
	await worker.getByRole('button', { name: 'Save checklist' }).click();
	await expect(worker.getByText('High risk: DASH score 14. Make a MARAC referral.')).toBeVisible();
	await expectAccessible(worker);
});

/**
 * A person whose case the demo caseworker holds, who has started a note on the case page and a
 * reply on its Messages tab, neither sent yet: each page with its button, field and words.
 */
async function writingNoteAndReply(browser: Browser, note: string, reply: string) {
	const person = await newPerson();
	await assignToCaseworker(person.reference);
	const worker = await staffPage(browser, 'caseworker');
	await worker.goto(`/staff/cases/${person.reference}`);
	await worker.getByLabel('Internal note').fill(note);
	const replying = await worker.context().newPage();
	await replying.goto(`/staff/cases/${person.reference}/messages`);
	await replying.getByLabel('Reply').fill(reply);
	const writing = [
		[worker, 'Add note', 'Internal note', note],
		[replying, 'Send reply', 'Reply', reply]
	] as const;
	return { person, worker, writing };
}

test('a note and a reply written while the case is given to someone else come back to copy, and neither is saved', async ({
	browser
}) => {
	const note = 'Called twice, no answer. Try the safe number after 18:00.';
	const reply = 'I can see you on Thursday at 10:00.';
	const { person, writing } = await writingNoteAndReply(browser, note, reply);

	// While both are being written, a supervisor gives the case to a colleague.
	await reassignToColleague(person.reference);

	for (const [page, button, label, words] of writing) {
		await page.getByRole('button', { name: button }).click();
		await expect(page.getByRole('heading', { name: 'What you wrote was not saved' })).toBeVisible();
		await expect(page.getByLabel(label, { exact: true })).toHaveValue(words);
		await expectAccessible(page);
	}

	// Neither reached the case, which is the colleague's now.
	const supervisor = await staffPage(browser, 'supervisor');
	await supervisor.goto(`/staff/cases/${person.reference}`);
	await expect(supervisor.locator('main')).toContainText('Named contact changed to Nadia');
	await expect(supervisor.locator('main')).not.toContainText(note);
	await supervisor.goto(`/staff/cases/${person.reference}/messages`);
	await expect(supervisor.locator('main')).not.toContainText(reply);
});

test('a note and a reply written while the case is closed come back to copy beside the refusal', async ({
	browser
}) => {
	const note = 'Left a voicemail on the safe number; try again Friday.';
	const reply = 'I will call you on Friday morning.';
	const { person, worker, writing } = await writingNoteAndReply(browser, note, reply);

	// While both are being written, a supervisor closes the case.
	await closeCase(person.reference);

	for (const [page, button, label, words] of writing) {
		await page.getByRole('button', { name: button }).click();
		await expect(page.getByRole('alert')).toBeVisible();
		await expect(page.getByRole('heading', { name: 'What you wrote was not saved' })).toBeVisible();
		const unsaved = page.getByRole('region', { name: 'What you wrote was not saved' });
		await expect(unsaved).toContainText('This case was closed while you were writing');
		await expect(unsaved.getByLabel(label, { exact: true })).toHaveValue(words);
		await expectAccessible(page);
	}
	// Neither reached the case.
	await worker.goto(`/staff/cases/${person.reference}`);
	await expect(worker.locator('main')).not.toContainText(note);
	await worker.goto(`/staff/cases/${person.reference}/messages`);
	await expect(worker.locator('main')).not.toContainText(reply);
});

test('a hearing is recorded, the supervisor reads the audit trail, and the person sees each visible step in Polish and nothing internal @once', async ({
	browser
}) => {
	// Proposing and recording consent are two more forms than the old one-step referral.
	test.setTimeout(60_000);
	const person = await newPerson('amber violin meadow pine', undefined, {
		...referral(true),
		passphrase: { passphrase: 'amber violin meadow pine', confirm: 'amber violin meadow pine' }
	});
	await assignToCaseworker(person.reference);
	const worker = await staffPage(browser, 'caseworker');
	await worker.goto(`/staff/cases/${person.reference}`);
	await worker.getByLabel('Internal note').fill('Partner may read texts. Keep calls short.');
	await worker.getByRole('button', { name: 'Add note' }).click();
	await expect(worker.getByRole('status')).toContainText('Note added');
	await choose(worker, 'Move the case to', 'Support under way', 'Change status');
	await expect(worker.getByRole('status')).toContainText('Status changed');
	// A partner referral the person agreed to on the phone (partner-consent.spec.ts asks in the portal).
	await worker.goto(`/staff/cases/${person.reference}/partners`);
	await worker.getByLabel('Agency', { exact: true }).selectOption({ label: 'Shelter' });
	await worker.getByLabel('Why you are referring (internal)').fill('No safe place to stay.');
	await worker.getByLabel('What the agency will see').fill('Needs somewhere safe to live.');
	await worker.getByRole('button', { name: 'Ask the person' }).click();
	await expect(worker.getByRole('status')).toContainText('Referral proposed');
	await worker.getByLabel('How and when they agreed').fill('By phone today at 10am.');
	await worker.getByRole('button', { name: 'Record consent and send' }).click();
	await expect(worker.getByRole('status')).toContainText('Consent recorded');

	// A hearing: a bad time is refused, a good one recorded.
	await worker.getByRole('link', { name: 'Court', exact: true }).click();
	await worker
		.getByLabel('Court', { exact: true })
		.selectOption({ label: 'Snaresbrook Crown Court' });
	await worker.getByLabel('Date').fill('2027-03-15');
	await worker.getByLabel('Time').fill('25:00');
	await worker.getByLabel('Kind of hearing').selectOption({ label: 'Trial' });
	await worker.getByRole('button', { name: 'Record hearing' }).click();
	await expect(worker.getByRole('alert')).toContainText('Enter the time as hours and minutes');
	await expectAccessible(worker);
	await worker.getByLabel('Time').fill('10:00');
	await worker.getByRole('button', { name: 'Record hearing' }).click();
	await expect(worker.getByRole('status')).toContainText('Hearing recorded');
	await expect(worker.locator('.hearings strong')).toHaveText('Monday, 15 March 2027 at 10:00');

	// The supervisor reads the audit trail: who looked and what changed.
	const supervisor = await staffPage(browser, 'supervisor');
	await supervisor.goto(`/staff/cases/${person.reference}/audit`);
	const trail = supervisor.getByRole('table', { name: /entries, newest first/ });
	await expect(trail.getByRole('row').filter({ hasText: 'Note added' })).toContainText(
		'caseworker@onedoor.test'
	);
	await expect(
		trail.getByRole('row').filter({ hasText: 'Viewed the case' }).filter({ hasText: 'caseworker@' })
	).not.toHaveCount(0);
	await expectAccessible(supervisor);

	// The person sees each visible step in Polish, with their contact's first name, and nothing internal.
	const mine = await (await browser.newContext()).newPage();
	await mine.goto('/pl/sign-in');
	await mine.getByLabel(pl.signIn.reference).fill(person.reference);
	await mine.getByLabel(pl.signIn.passphrase).fill(person.passphrase);
	await mine.getByRole('button', { name: pl.signIn.submit }).click();
	await expect(mine).toHaveURL(/\/pl\/my$/);
	const timeline = mine.locator('.timeline');
	await expect(timeline).toContainText('Amira');
	await expect(timeline).toContainText(pl.my.timeline.status_support);
	await expect(timeline).toContainText('Shelter');
	await expect(timeline).toContainText('Snaresbrook Crown Court');
	await expect(mine.locator('main')).not.toContainText('Partner may read texts');
	await expect(mine.locator('main')).not.toContainText(/DASH|MARAC|Khan/);
	await expectAccessible(mine);
});

test('a closed case is read-only @once', async ({ browser }) => {
	const person = await newPerson(undefined, undefined, referral(true));
	// Shared with an agency, which wrote to us about it: both are in the person's export.
	const shared = await sharedWith(person.reference, 'shelter', 'Needs a safe tenancy 6620');
	await agencyWrites(shared, 'We can see her on Thursday 6620.');
	const supervisor = await staffPage(browser, 'supervisor');
	await supervisor.goto(`/staff/cases/${person.reference}`);
	await supervisor.getByRole('button', { name: 'Close case' }).click();
	await expect(supervisor.getByRole('alert')).toContainText('Choose an outcome');
	// The agency is still working on what was shared: closing says so, and asks to be sure.
	await expect(
		supervisor.getByText('1 partner referral an agency is still working on')
	).toBeVisible();
	await choose(supervisor, 'Close the case with an outcome', 'Support declined', 'Close case');
	await expect(supervisor.getByRole('alert')).toContainText('This case still has work open');
	await expect(supervisor.getByText('This case is closed (Support declined)')).toHaveCount(0);
	await supervisor.getByLabel('Close it anyway, with this work still open').check();
	await choose(supervisor, 'Close the case with an outcome', 'Support declined', 'Close case');
	await expect(supervisor.getByRole('status')).toContainText('Case closed');
	await expect(supervisor.getByText('This case is closed (Support declined)')).toBeVisible();
	await expect(supervisor.getByRole('button', { name: 'Add note' })).toHaveCount(0);
	// Closed before anyone reached them: the first-contact clock has stopped, not "overdue".
	await expect(supervisor.getByText('Closed before a first contact')).toBeVisible();
	await expect(supervisor.getByText(/Overdue by|Due in/)).toHaveCount(0);
	await expectAccessible(supervisor);
	// A form posted from an old tab still changes nothing.
	const response = await supervisor.request.post(`/staff/cases/${person.reference}?/addNote`, {
		form: { note: 'too late' },
		headers: { accept: 'text/html', origin: new URL(supervisor.url()).origin }
	});
	expect(response.status()).toBe(400);
	await supervisor.reload();
	await expect(supervisor.locator('.timeline')).not.toContainText('too late');

	// A subject access request after closing: the decision on staff notes needs a reason first.
	await supervisor.getByRole('link', { name: 'Subject access' }).click();
	await supervisor.getByLabel('Withhold them').check();
	await supervisor
		.getByRole('button', { name: 'Record the decision and produce the export' })
		.click();
	await expect(supervisor.getByRole('alert')).toContainText('Give a reason for the decision');
	await expectAccessible(supervisor, 'refused');
	await supervisor.getByLabel('Reason for this decision').fill('Risk to a third party.');
	await supervisor
		.getByRole('button', { name: 'Record the decision and produce the export' })
		.click();
	await expect(
		supervisor.getByRole('heading', { name: 'The information we hold about you' })
	).toBeVisible();
	await expect(supervisor.locator('.sar')).toContainText(
		'staff notes and assessments are not included'
	);
	await expect(supervisor.locator('.sar')).toContainText('Needs a safe tenancy 6620');
	await expect(
		supervisor.getByRole('heading', {
			name: 'What our staff and Shelter wrote to each other about you'
		})
	).toBeVisible();
	await expect(supervisor.locator('.sar')).toContainText('Wen, Shelter');
	await expect(supervisor.locator('.sar')).toContainText('We can see her on Thursday 6620.');
	await expectAccessible(supervisor, 'export');
});

test('an admin keeps the partner agency list, and caseworkers are offered what is on it @once', async ({
	browser
}) => {
	const admin = await staffPage(browser, 'admin');
	await admin.goto('/staff');
	await admin.getByRole('link', { name: 'Partner agencies' }).click();
	await expect(admin.getByRole('row').filter({ hasText: 'Sistah Space' })).toContainText('Offered');
	await expectAccessible(admin);
	const name = `Local Advice ${test.info().project.name}`;
	await admin.getByRole('button', { name: 'Add agency' }).click();
	await expect(admin.getByRole('alert')).toContainText('Enter the agency');
	await expectAccessible(admin);
	await admin.getByLabel('Name', { exact: true }).fill(name);
	await admin.getByLabel('What they do').fill('Free advice on money and benefits.');
	await admin.getByLabel('Money').check();
	await admin.getByRole('button', { name: 'Add agency' }).click();
	await expect(admin.getByRole('status')).toContainText('Agency added');
	await admin
		.getByRole('row')
		.filter({ hasText: name })
		.getByRole('button', { name: /Stop offering/ })
		.click();
	await expect(admin.getByRole('row').filter({ hasText: name })).toContainText('Not offered');
	// Its workers' page says why a worker added now cannot sign in yet.
	await admin.getByRole('link', { name: `Workers at ${name}` }).click();
	await expect(admin.getByRole('note')).toContainText(
		`${name} is not offered: caseworkers cannot refer people to it, and its workers cannot sign in`
	);
	await expectAccessible(admin, 'agency not offered');
	await admin.goto('/staff/admin/partners/shelter');
	await expect(admin.getByRole('heading', { level: 1 })).toContainText('Shelter');
	await expect(admin.getByRole('note')).toHaveCount(0);

	const person = await newPerson(undefined, undefined, referral(true));
	const supervisor = await staffPage(browser, 'supervisor');
	await supervisor.goto(`/staff/cases/${person.reference}/partners`);
	const offered = supervisor.getByLabel('Agency', { exact: true }).locator('option');
	await expect(offered).toContainText(['Shelter']);
	await expect(offered.filter({ hasText: name })).toHaveCount(0);
});

test('a supervisor opens a case closed by mistake again, with a reason; a caseworker cannot', async ({
	browser
}) => {
	const person = await newPerson();
	await assignToCaseworker(person.reference);
	await closeCase(person.reference);

	// The named contact sees a closed record, and nothing to open it with.
	const worker = await staffPage(browser, 'caseworker');
	await worker.goto(`/staff/cases/${person.reference}`);
	await expect(worker.getByRole('button', { name: 'Add note' })).toHaveCount(0);
	await expect(worker.getByRole('button', { name: 'Open case again' })).toHaveCount(0);

	const supervisor = await staffPage(browser, 'supervisor');
	await supervisor.goto(`/staff/cases/${person.reference}`);
	await supervisor.getByRole('button', { name: 'Open case again' }).click();
	await expect(supervisor.getByRole('alert')).toContainText(
		'Say why the case is being opened again'
	);
	await expectAccessible(supervisor);
	await supervisor
		.getByLabel('Why it is being opened again')
		.fill('Closed by mistake at triage: support was never offered.');
	await supervisor.getByRole('button', { name: 'Open case again' }).click();
	await expect(supervisor.getByRole('status')).toContainText('Case opened again');

	// Back with its named contact, who reads why and can work it again; the reason is in the
	// audit trail too.
	await worker.reload();
	await expect(worker.locator('.timeline')).toContainText(
		'Case opened again: Closed by mistake at triage: support was never offered.'
	);
	await worker.getByLabel('Internal note').fill('Called back after the case was opened again.');
	await worker.getByRole('button', { name: 'Add note' }).click();
	await expect(worker.getByRole('status')).toContainText('Note added.');
	await supervisor.goto(`/staff/cases/${person.reference}/audit`);
	await expect(supervisor.locator('main')).toContainText('Case opened again');
	await expect(supervisor.locator('main')).toContainText('Closed by mistake at triage');
});

test('needs and risk saved over a colleague’s newer save are refused, showing theirs, until saved again @once', async ({
	browser
}) => {
	const person = await newPerson();
	await assignToCaseworker(person.reference);
	const page = `/staff/cases/${person.reference}/assessment`;
	const worker = await staffPage(browser, 'caseworker');
	const supervisor = await staffPage(browser, 'supervisor');
	await worker.goto(page);
	await supervisor.goto(page);

	// The supervisor raises the risk while the caseworker's page still shows the old answers.
	await supervisor.getByLabel('Feeling safe').check();
	await supervisor.getByLabel('High', { exact: true }).check();
	await supervisor.getByRole('button', { name: 'Save needs and risk' }).click();
	await expect(supervisor.getByRole('status')).toContainText('Needs and risk saved');

	// A form refused for its own mistake first (no need ticked) still catches the supervisor's.
	const needs = worker.getByRole('group', { name: 'What they need help with' });
	for (const box of await needs.getByRole('checkbox').all()) await box.uncheck();
	await worker.getByRole('button', { name: 'Save needs and risk' }).click();
	await expect(worker.getByRole('alert')).toContainText('Choose at least one need');
	await worker.getByLabel('Housing').check();
	await worker.getByLabel('Standard', { exact: true }).check();
	await worker.getByRole('button', { name: 'Save needs and risk' }).click();
	await expect(worker.getByRole('alert')).toContainText(
		'Someone saved needs and risk for this case after you opened this page'
	);
	await expect(needs).toContainText(/Saved now: .*Feeling safe.*\. Risk level: High\./);
	// Their own choices are still ticked; nothing of theirs was saved.
	await expect(worker.getByLabel('Housing')).toBeChecked();
	await expect(worker.getByLabel('Standard', { exact: true })).toBeChecked();
	await expectAccessible(worker);
	await supervisor.goto(page);
	await expect(supervisor.getByLabel('High', { exact: true })).toBeChecked();
	await expect(supervisor.getByLabel('Housing')).not.toBeChecked();

	// Having seen the supervisor's, they keep the safety need and the high risk, and save.
	await worker.getByLabel('Feeling safe').check();
	await worker.getByLabel('High', { exact: true }).check();
	await worker.getByRole('button', { name: 'Save needs and risk' }).click();
	await expect(worker.getByRole('status')).toContainText('Needs and risk saved');
	await supervisor.goto(page);
	await expect(supervisor.getByLabel('Housing')).toBeChecked();
	await expect(supervisor.getByLabel('Feeling safe')).toBeChecked();

	// A DASH checklist the same way: the worker's page showed none recorded.
	const checklist = (page: Page) => page.getByRole('group', { name: /Answered yes/ });
	for (const box of (await checklist(supervisor).getByRole('checkbox').all()).slice(0, 2))
		await box.check();
	await supervisor.getByRole('button', { name: 'Save checklist' }).click();
	await expect(supervisor.getByRole('status')).toBeVisible();
	await checklist(worker).getByRole('checkbox').first().check();
	await worker.getByRole('button', { name: 'Save checklist' }).click();
	await expect(worker.getByRole('alert')).toContainText(
		'Someone recorded a DASH checklist for this case after you opened this page'
	);
	await expect(worker.locator('main')).toContainText(/Last score: 2 of \d+/);
	await expect(worker.getByText('Saved now: yes to questions 1, 2.')).toBeVisible();
	await worker.getByRole('button', { name: 'Save checklist' }).click();
	await expect(worker.locator('main')).toContainText(/Last score: 1 of \d+/);
});
