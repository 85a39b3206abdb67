import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { freshDatabase } from '$lib/server/db/testing';
import * as referrals from '$lib/server/referrals';
import { saveSteps, testCipher, validSteps } from '$lib/server/testing/fixtures';
import { load } from '../../../routes/staff/reports/+page.server';
import { caseCounts } from './index';

beforeEach(() => {
	freshDatabase();
	testCipher();
});
afterEach(() => {
	vi.useRealTimers();
});

async function referAt(at: string, crimeType: string) {
	vi.setSystemTime(new Date(at));
	const draftToken = await saveSteps(
		validSteps({ 'what-happened': { crimeType, when: 'month', date: '' } })
	);
	const sent = await referrals.submit(draftToken);
	if (!sent.ok) throw new Error('referral incomplete');
}

describe('case counts', () => {
	it('counts cases by London month (empty months too), status and crime type', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		// 00:30 on 1 June in London is still 31 May in UTC: it counts for June.
		await referAt('2026-05-31T23:30:00Z', 'burglary');
		await referAt('2026-05-15T12:00:00Z', 'burglary');
		await referAt('2026-08-02T12:00:00Z', 'fraud');
		// 23:30 on 31 December in London is 31 December in UTC too (no summer time).
		await referAt('2026-12-31T23:30:00Z', 'fraud');

		const counts = caseCounts();
		expect(counts.openedByMonth).toEqual([
			{ value: '2026-05', count: 1 },
			{ value: '2026-06', count: 1 },
			{ value: '2026-07', count: 0 },
			{ value: '2026-08', count: 1 },
			{ value: '2026-09', count: 0 },
			{ value: '2026-10', count: 0 },
			{ value: '2026-11', count: 0 },
			{ value: '2026-12', count: 1 }
		]);
		expect(counts).toMatchObject({
			total: 4,
			anonymised: 0,
			onLegalHold: 0,
			byStatus: [{ value: 'new', count: 4 }],
			byOutcome: [{ value: '', count: 4 }],
			byCrimeType: [
				{ value: 'burglary', count: 2 },
				{ value: 'fraud', count: 2 }
			]
		});
	});

	it('says nothing rather than failing when there are no cases', () => {
		expect(caseCounts()).toMatchObject({ total: 0, openedByMonth: [], byStatus: [] });
	});
});

describe('the reports page', () => {
	const asRole = (role: 'caseworker' | 'supervisor') =>
		({
			locals: {
				user: { sessionId: 's', userId: 'u', role, expiresAt: 0, secondFactorPending: false }
			}
		}) as unknown as RequestEvent;

	it('is for supervisors and admins; a caseworker is refused', async () => {
		await referAt('2026-05-15T12:00:00Z', 'fraud');
		expect(() => load(asRole('caseworker') as never)).toThrow(
			expect.objectContaining({ status: 403 })
		);
		expect(load(asRole('supervisor') as never)).toMatchObject({ counts: { total: 1 } });
	});
});
