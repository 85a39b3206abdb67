import { createServer } from 'node:net';
import type { SMTPServer } from 'smtp-server';
import { startTestSmtp } from '$lib/server/notify/test-smtp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { env } from '$env/dynamic/private';
import * as cases from '$lib/server/cases';
import { seal } from '$lib/server/crypto';
import { freshDatabase } from '$lib/server/db/testing';
import { users } from '$lib/server/db/schema';
import { sendDue } from '$lib/server/notify/outbox';
import { saveSteps, staffMember, testCipher, validSteps } from '$lib/server/testing/fixtures';
import * as referrals from './index';

// Read once by config(), before anything in this file asks for it.
env.DUTY_EMAIL = 'duty-desk@onedoor.test';

let db: ReturnType<typeof freshDatabase>['db'];
const received: { to: string[]; subject: string; text: string }[] = [];
let smtp: SMTPServer | undefined;

beforeEach(() => {
	({ db } = freshDatabase());
	testCipher();
	received.length = 0;
});
afterEach(async () => {
	await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
	smtp = undefined;
});

/** A real SMTP server on a free 127.0.0.1 port that keeps what it receives. */
async function startSmtp(): Promise<void> {
	const port = await new Promise<number>((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
	env.SMTP_URL = `smtp://127.0.0.1:${port}`;
	smtp = await startTestSmtp(port, received);
}

async function refer(overrides: Record<string, Record<string, string | string[]>> = {}) {
	const draftToken = await saveSteps(validSteps(overrides));
	const sent = await referrals.submit(draftToken);
	if (!sent.ok) throw new Error('referral incomplete');
	return { ...sent, draftToken };
}

const childAtRisk = { needs: { needs: ['safety'], childAtRisk: 'yes' } };
const inDanger = { 'safe-now': { safeNow: 'danger' } };

const alertsFor = (caseId: string) =>
	db.$client
		.prepare("select * from outbox where case_id = ? and kind = 'urgent_referral'")
		.all(caseId) as { audience: string; status: string }[];

function supervisor() {
	const row = db
		.insert(users)
		.values({ role: 'supervisor', email: 'jo@onedoor.test', nameSealed: seal('Jo Smith') })
		.returning()
		.get();
	return { userId: row.id, role: 'supervisor' as const };
}

describe('an urgent referral', () => {
	it('writes an alert for the on-duty supervisor in the same transaction, and only when urgent', async () => {
		const danger = await refer(inDanger);
		const child = await refer(childAtRisk);
		const standard = await refer();
		expect(alertsFor(danger.caseId)).toMatchObject([{ audience: 'staff', status: 'pending' }]);
		expect(alertsFor(child.caseId)).toHaveLength(1);
		expect(alertsFor(standard.caseId)).toHaveLength(0);
	});

	it('alerts DUTY_EMAIL at once, saying nothing about the case', async () => {
		supervisor();
		const sent = await refer(inDanger);
		await startSmtp();
		await sendDue();
		const alerts = received.filter((mail) => mail.to.includes('duty-desk@onedoor.test'));
		expect(alerts).toHaveLength(1);
		const alert = alerts[0]!;
		expect(alert.subject).toMatch(/urgent/i);
		expect(alert.text).toContain('/staff/cases');
		const everything = `${alert.subject}\n${alert.text}`;
		for (const secret of [sent.reference, 'Agnieszka', 'burglary', 'back door', 'danger']) {
			expect(everything).not.toContain(secret);
		}
		expect(alertsFor(sent.caseId)).toMatchObject([{ status: 'sent' }]);
	});

	it('goes to the top of the triage queue, ahead of older referrals', async () => {
		const actor = supervisor();
		const standard = await refer();
		const high = await refer({
			'what-happened': { crimeType: 'domestic_abuse', when: 'month', date: '' }
		});
		const urgent = await refer(childAtRisk);
		const queue = cases.queue.list(actor, { status: cases.queue.triage });
		const mine = queue.rows
			.map((row) => row.reference)
			.filter((reference) => [standard, high, urgent].some((s) => s.reference === reference));
		expect(mine).toEqual([urgent.reference, high.reference, standard.reference]);
		expect(
			cases.queue.oversight(staffMember('supervisor', 'Sam')).unassigned.rows[0]!.reference
		).toBe(urgent.reference);
	});

	it('tells the person when, by the urgent target in working days', async () => {
		const sent = await refer(inDanger);
		const shown = referrals.confirmation(sent.draftToken)!;
		expect(shown).toMatchObject({ reference: sent.reference, workingDays: 1, urgent: true });
		expect(shown.by.getTime()).toBeGreaterThan(Date.now());
		const standard = await refer();
		expect(referrals.confirmation(standard.draftToken)).toMatchObject({
			urgent: false,
			workingDays: 2
		});
	});
});
