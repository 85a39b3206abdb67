import { describe, expect, it } from 'vitest';
import { addWorkingDays, firstContactClock } from './clock';

const utc = (iso: string) => new Date(iso);
const due = (from: string, days: number) => addWorkingDays(utc(from), days).toISOString();

describe('first-contact clock', () => {
	it('counts working days, skipping the weekend', () => {
		// Friday 27 November 2026, 15:00 in London (GMT)
		expect(due('2026-11-27T15:00:00Z', 1)).toBe('2026-11-30T15:00:00.000Z');
		expect(due('2026-11-27T15:00:00Z', 2)).toBe('2026-12-01T15:00:00.000Z');
		// A referral on Saturday starts its clock on Monday at 09:00.
		expect(due('2026-11-28T20:00:00Z', 1)).toBe('2026-12-01T09:00:00.000Z');
	});

	// "1 working day" is the same London clock time on the next working day: Friday 18:00 is
	// due on Monday 18:00, which the person is told; it is never a weekend or bank-holiday day.
	it('makes a Friday 18:00 urgent referral due at 18:00 London time on Monday', () => {
		expect(due('2026-11-27T18:00:00Z', 1)).toBe('2026-11-30T18:00:00.000Z');
	});

	it('skips Christmas and the Boxing Day substitute day', () => {
		// Thursday 24 December 2026, 18:00: Friday 25 and Monday 28 December are bank holidays.
		expect(due('2026-12-24T18:00:00Z', 1)).toBe('2026-12-29T18:00:00.000Z');
		// Made on Christmas Day, the clock starts at 09:00 on Tuesday 29 December.
		expect(due('2026-12-25T11:00:00Z', 1)).toBe('2026-12-30T09:00:00.000Z');
	});

	it('skips Good Friday and Easter Monday', () => {
		// Thursday 2 April 2026, 17:00 BST (16:00 UTC) → Tuesday 7 April, 17:00 BST.
		expect(due('2026-04-02T16:00:00Z', 1)).toBe('2026-04-07T16:00:00.000Z');
		// Made on Good Friday: starts Tuesday 09:00 BST, due Wednesday 8 April 09:00 BST.
		expect(due('2026-04-03T09:00:00Z', 1)).toBe('2026-04-08T08:00:00.000Z');
	});

	it('keeps London clock time across the change to and from summer time', () => {
		// Friday 27 March 2026, 18:00 GMT; the clocks go forward on Sunday 29 March.
		expect(due('2026-03-27T18:00:00Z', 1)).toBe('2026-03-30T17:00:00.000Z');
		// Friday 23 October 2026, 18:00 BST; the clocks go back on Sunday 25 October.
		expect(due('2026-10-23T17:00:00Z', 1)).toBe('2026-10-26T18:00:00.000Z');
	});

	it('knows the weekend by London’s calendar, not UTC’s', () => {
		// 23:30 UTC on Sunday 29 March 2026 is 00:30 BST on Monday 30 March: a working day.
		expect(due('2026-03-29T23:30:00Z', 1)).toBe('2026-03-30T23:30:00.000Z');
		// 23:30 UTC on Friday 24 July 2026 is 00:30 BST on Saturday: the clock starts Monday 09:00.
		expect(due('2026-07-24T23:30:00Z', 1)).toBe('2026-07-28T08:00:00.000Z');
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
		// Closed without a first contact, the clock stops: never "overdue by" a growing time.
		const closed = { ...urgent, status: 'closed' };
		expect(firstContactClock(closed, new Date(Date.UTC(2026, 11, 24, 10)))).toEqual({
			state: 'closed'
		});
		expect(firstContactClock({ ...contacted, status: 'closed' }).state).toBe('done');
	});
});
