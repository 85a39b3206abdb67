// Partner-area test data, on the suite's own database: a referral already shared with an agency
// (the consent journey that shares it is another spec's) and partner workers who sign in.
import { expect, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import * as caseAccess from '$lib/server/cases/access';
import { database } from '$lib/server/db';
import { partnerMessages, partnerReferrals, users } from '$lib/server/db/schema';
import { seal } from '$lib/server/crypto';
import { partnerWorker, sentReferral } from '$lib/server/testing/partners';
import { connect, retrying } from './people';
import { totp } from './staff';

/** Shares a referral on the case with an agency, as if the person had agreed; returns its id. */
export async function sharedWith(reference: string, agencyId: string, summary: string) {
	connect();
	const supervisor = database()
		.select()
		.from(users)
		.where(eq(users.email, 'supervisor@onedoor.test'))
		.get()!;
	const found = caseAccess.find({ userId: supervisor.id, role: 'supervisor' }, reference);
	if (!found.ok) throw new Error(`no case ${reference}`);
	return retrying(() => sentReferral(found.row.id, agencyId, summary));
}

/** A new, enrolled partner worker of an agency, with how they sign in. */
export async function newPartnerWorker(agencyId: string, name: string, partnerAdmin = false) {
	connect();
	return retrying(() => partnerWorker(agencyId, name, { partnerAdmin }));
}

export type Worker = Awaited<ReturnType<typeof newPartnerWorker>>;

/**
 * A worker of the referral's agency has written to our caseworkers on it: the message row as
 * /partner stores it, sealed (the conversation module needs the server's bundled messages).
 */
export async function agencyWrites(referralId: string, text: string) {
	connect();
	const { agencyId } = database()
		.select({ agencyId: partnerReferrals.agencyId })
		.from(partnerReferrals)
		.where(eq(partnerReferrals.id, referralId))
		.get()!;
	const worker = await newPartnerWorker(agencyId, 'Wen');
	await retrying(() =>
		database()
			.insert(partnerMessages)
			.values({
				partnerReferralId: referralId,
				side: 'partner',
				authorId: worker.userId,
				bodySealed: seal(text)!
			})
			.run()
	);
}

/** Signs a partner worker in at /partner: password, then a code from their app. */
export async function signInPartner(page: Page, worker: Worker) {
	await page.goto('/partner/sign-in');
	await page.getByLabel('Work email').fill(worker.email);
	await page.getByLabel('Password').fill(worker.password);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page).toHaveURL(/\/partner\/verify$/);
	await page.getByLabel('Code').fill(totp(worker.secret));
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/partner$/);
}

/** Where a referral stands, and how many messages it has, read straight from the database. */
export function referralState(id: string) {
	connect();
	const row = database()
		.select({ status: partnerReferrals.status })
		.from(partnerReferrals)
		.where(eq(partnerReferrals.id, id))
		.get();
	const messages = database()
		.select({ id: partnerMessages.id })
		.from(partnerMessages)
		.where(eq(partnerMessages.partnerReferralId, id))
		.all().length;
	return { status: row?.status, messages };
}

/** Whether an account is still active. */
export function isActive(userId: string): boolean {
	connect();
	return !database().select().from(users).where(eq(users.id, userId)).get()?.deactivatedAt;
}

/** Whether an account has its second factor set up (not reset since). */
export function isEnrolled(userId: string): boolean {
	connect();
	return Boolean(database().select().from(users).where(eq(users.id, userId)).get()?.recoveryHashes);
}
