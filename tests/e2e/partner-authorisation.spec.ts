import { expect, type Browser, type BrowserContext } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { test } from './helpers';
import {
	isActive,
	isEnrolled,
	newPartnerWorker,
	referralState,
	sharedWith,
	signInPartner,
	type Worker
} from './partners';
import { assignToCaseworker, newPerson } from './people';
import { staffPage } from './staff';

// Every partner route and action, as every kind of visitor. Agency A is Shelter, agency B Galop.
type Who = 'anonymous' | 'person' | 'caseworker' | 'admin' | 'partnerA' | 'partnerAdminA';

async function setting() {
	const person = await newPerson('granite poppy lighthouse fern');
	await assignToCaseworker(person.reference);
	const a = await sharedWith(person.reference, 'shelter', 'For Shelter 3391');
	const b = await sharedWith(person.reference, 'galop', 'For Galop only: marigold');
	const withdrawn = await sharedWith(person.reference, 'shelter', 'Withdrawn: thistle');
	const { connect } = await import('./people');
	connect();
	const { database } = await import('$lib/server/db');
	const { partnerReferrals } = await import('$lib/server/db/schema');
	const { eq } = await import('drizzle-orm');
	database()
		.update(partnerReferrals)
		.set({ status: 'withdrawn', withdrawnAt: new Date() })
		.where(eq(partnerReferrals.id, withdrawn))
		.run();
	const workers = {
		partnerA: await newPartnerWorker('shelter', 'Ann'),
		partnerAdminA: await newPartnerWorker('shelter', 'Ada', true),
		galop: await newPartnerWorker('galop', 'Gil')
	};
	return { person, a, b, withdrawn, workers };
}

async function signedIn(
	browser: Browser,
	who: Who,
	person: { reference: string; passphrase: string },
	workers: Record<'partnerA' | 'partnerAdminA', Worker>
): Promise<BrowserContext> {
	if (who === 'caseworker' || who === 'admin') return (await staffPage(browser, who)).context();
	const context = await browser.newContext();
	if (who === 'anonymous') return context;
	const page = await context.newPage();
	if (who === 'person') {
		await page.goto('/sign-in');
		await page.getByLabel('Case reference').fill(person.reference);
		await page.getByLabel('Passphrase').fill(person.passphrase);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page).toHaveURL(/\/my$/);
	} else {
		await signInPartner(page, workers[who]);
	}
	await page.close();
	return context;
}

const pagesFor = (ref: string, a: string, b: string, withdrawn: string) => [
	'/partner',
	'/partner/team',
	'/partner/password',
	`/partner/referrals/${a}`,
	`/partner/referrals/${b}`,
	`/partner/referrals/${withdrawn}`,
	'/partner/referrals/no-such-referral',
	'/partner/nowhere',
	'/staff',
	`/staff/cases/${ref}`,
	`/staff/cases/${ref}/partners`,
	`/staff/cases/${ref}/partners/${a}`,
	`/staff/cases/${ref}/messages`,
	'/staff/admin/partners/shelter',
	'/staff/enrol',
	'/staff/verify',
	'/staff/password',
	'/my',
	'/my/messages'
];
const want: Record<Who, number[]> = {
	//            list team pass  A    B   wdrn none nowh staff case partners detail msgs adminW enrol verify pass my  myMsg
	anonymous: [
		303, 303, 303, 303, 303, 303, 303, 404, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303
	],
	person: [
		403, 403, 403, 403, 403, 403, 403, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 200
	],
	caseworker: [
		403, 403, 403, 403, 403, 403, 403, 404, 200, 200, 200, 200, 200, 403, 303, 303, 200, 403, 403
	],
	admin: [
		403, 403, 403, 403, 403, 403, 403, 404, 200, 200, 200, 200, 200, 200, 303, 303, 200, 403, 403
	],
	partnerA: [
		200, 403, 200, 200, 404, 410, 404, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403
	],
	partnerAdminA: [
		200, 200, 200, 200, 404, 410, 404, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403
	]
};

/** What each visitor gets from every page; for partner workers, also that nothing leaks. */
async function walk(browser: Browser, visitors: Who[]) {
	const { person, a, b, withdrawn, workers } = await setting();
	const pages = pagesFor(person.reference, a, b, withdrawn);
	const seen: Partial<Record<Who, number[]>> = {};
	for (const who of visitors) {
		const context = await signedIn(browser, who, person, workers);
		const statuses: number[] = [];
		for (const path of pages) {
			const response = await context.request.get(path, { maxRedirects: 0 });
			statuses.push(response.status());
			// Nothing of agency B's referral, the withdrawn one, or the case reaches agency A. The
			// notes' secrets are words, not digits, which random ids and emails on the page could hold.
			if (who.startsWith('partner')) {
				const text = await response.text();
				for (const secret of ['marigold', 'thistle', person.reference])
					expect(text).not.toContain(secret);
			}
		}
		seen[who] = statuses;
		await context.close();
	}
	expect(seen).toEqual(Object.fromEntries(visitors.map((who) => [who, want[who]])));
}

test('every partner page answers anonymous visitors, people and our staff as it should @once', async ({
	browser
}) => {
	await walk(browser, ['anonymous', 'person', 'caseworker', 'admin']);
});

test('agency A’s workers get nothing of agency B’s referrals, the console or the portal @once', async ({
	browser
}) => {
	await walk(browser, ['partnerA', 'partnerAdminA']);
});

test('every partner action is refused to those who may not take it, and changes nothing @once', async ({
	browser
}) => {
	const { person, a, b, workers } = await setting();
	const post = (context: BrowserContext, path: string, form: Record<string, string>) =>
		context.request.post(path, {
			form,
			maxRedirects: 0,
			headers: { accept: 'text/html', origin: baseURL }
		});
	const onB = `/partner/referrals/${b}`;
	const actions: [string, Record<string, string>][] = [
		[`${onB}?/accept`, { worker: 'Whoever could' }],
		[`${onB}?/decline`, { reason: 'whoever could' }],
		[`${onB}?/rename`, { worker: 'Whoever could' }],
		[`${onB}?/close`, { outcome: 'other', note: '' }],
		[`${onB}?/send`, { message: 'from whoever could' }],
		['/partner/team?/addWorker', { name: 'X', email: 'x@x.test', password: 'too short' }],
		['/partner/team?/deactivateWorker', { id: workers.galop.userId }],
		[`/partner/referrals/${a}?/accept`, { worker: 'Whoever could' }],
		[`/staff/cases/${person.reference}/partners/${a}?/send`, { message: 'from whoever could' }],
		['/staff/admin/partners/galop?/deactivateWorker', { id: workers.galop.userId }],
		// Resetting a sign-in: B's worker from A's team page, from our admins' pages, and A's own.
		[
			'/partner/team?/resetWorker',
			{ account: workers.galop.userId, firstPassword: 'whoever could set this' }
		],
		[
			'/staff/admin/partners/galop?/resetWorker',
			{ account: workers.galop.userId, firstPassword: 'whoever could set this' }
		],
		[
			'/partner/team?/resetWorker',
			{ account: workers.partnerA.userId, firstPassword: 'whoever could set this' }
		]
	];
	const want: Partial<Record<Who, number[]>> = {
		//          acceptB declB renB closeB sendB add deact acceptA staffSend adminDeact resetB adminResetB resetA
		anonymous: [303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303],
		person: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
		caseworker: [403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403],
		// Agency B's referral is not found for A; a non-admin has no team page; the console is not theirs.
		partnerA: [404, 404, 404, 404, 404, 403, 403, 200, 403, 403, 403, 403, 403],
		// A's partner-admin cannot deactivate or reset B's worker (not changed), nor add one by a
		// short password; resetting a worker of their own is theirs to do, and is the last post.
		partnerAdminA: [404, 404, 404, 404, 404, 400, 400, 400, 403, 403, 400, 403, 200]
	};
	const seen: Record<string, number[]> = {};
	for (const who of Object.keys(want) as Who[]) {
		const context = await signedIn(browser, who, person, workers);
		seen[who] = [];
		for (const [path, form] of actions) seen[who].push((await post(context, path, form)).status());
		await context.close();
	}
	expect(seen).toEqual(want);
	// Agency B's referral is as it was, its worker still active; A's was accepted once, by A.
	expect(referralState(b)).toEqual({ status: 'sent', messages: 0 });
	expect(isActive(workers.galop.userId)).toBe(true);
	expect(isEnrolled(workers.galop.userId)).toBe(true);
	expect(referralState(a)).toMatchObject({ status: 'accepted' });
});
