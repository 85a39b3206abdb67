import { describe, expect, it } from 'vitest';
import { addWorkingDays, firstContactClock } from './clock';

describe('first-contact clock', () => {
	it('counts working days, skipping the weekend', () => {
		// Friday 27 November 2026, 15:00 UTC
		const friday = new Date(Date.UTC(2026, 10, 27, 15));
		expect(addWorkingDays(friday, 1).toISOString()).toBe('2026-11-30T15:00:00.000Z');
		expect(addWorkingDays(friday, 2).toISOString()).toBe('2026-12-01T15:00:00.000Z');
		// A referral on Saturday starts its clock on Monday at 09:00.
		const saturday = new Date(Date.UTC(2026, 10, 28, 20));
		expect(addWorkingDays(saturday, 1).toISOString()).toBe('2026-12-01T09:00:00.000Z');
	});

	it('marks a case overdue once its target has passed, and done once contacted', () => {
		const monday = new Date(Date.UTC(2026, 10, 23, 9));
		const urgent = { createdAt: monday, priority: 3, firstContactAt: null };
		expect(firstContactClock(urgent, new Date(Date.UTC(2026, 10, 23, 17)))).toMatchObject({
			state: 'due',
			minutes: 16 * 60
		});
		expect(firstContactClock(urgent, new Date(Date.UTC(2026, 10, 24, 10)))).toMatchObject({
			state: 'overdue',
			minutes: 60
		});
		const standard = { ...urgent, priority: 1 };
		expect(firstContactClock(standard, new Date(Date.UTC(2026, 10, 24, 10))).state).toBe('due');
		const contacted = { ...urgent, firstContactAt: new Date(Date.UTC(2026, 10, 23, 11)) };
		expect(firstContactClock(contacted).state).toBe('done');
	});
});
