import { config } from '$lib/server/config';

const day = 24 * 60 * 60 * 1000;

/** `from` plus `days` working days (Monday to Friday), at the same time of day. */
export function addWorkingDays(from: Date, days: number): Date {
	const due = new Date(from);
	let left = days;
	// A referral that arrives at the weekend starts its clock on Monday morning.
	while (isWeekend(due)) due.setTime(startOfNextDay(due));
	while (left > 0) {
		due.setTime(due.getTime() + day);
		if (!isWeekend(due)) left -= 1;
	}
	return due;
}

function isWeekend(at: Date): boolean {
	const weekday = at.getUTCDay();
	return weekday === 0 || weekday === 6;
}

function startOfNextDay(at: Date): number {
	return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1, 9);
}

/** The first-contact target for a case, from its priority and the configured working days. */
export function firstContactDue(createdAt: Date, priority: number): Date {
	const { urgent, other } = config().firstContactDays;
	return addWorkingDays(createdAt, priority === 3 ? urgent : other);
}

export type Clock =
	{ state: 'done'; at: Date } | { state: 'due' | 'overdue'; due: Date; minutes: number };

/** Where a case stands against its first-contact target, now. */
export function firstContactClock(
	row: { createdAt: Date; priority: number; firstContactAt: Date | null },
	now = new Date()
): Clock {
	if (row.firstContactAt) return { state: 'done', at: row.firstContactAt };
	const due = firstContactDue(row.createdAt, row.priority);
	const minutes = Math.round((due.getTime() - now.getTime()) / 60_000);
	return { state: minutes < 0 ? 'overdue' : 'due', due, minutes: Math.abs(minutes) };
}
