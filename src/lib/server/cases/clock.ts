import { config } from '$lib/server/config';
import { isBankHoliday } from './bank-holidays';

// The service keeps London's clock and England and Wales's bank holidays, whatever the server's zone.
const london = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Europe/London',
	hourCycle: 'h23',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit'
});

interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
	ms: number;
}

// London's offset from UTC changes only on a UTC hour (01:00 UTC on the last Sundays of March and
// October), so it is asked of Intl (a tenth of a millisecond) once per hour, not per date.
const offsets = new Map<number, number>();

/** How far London's clock is ahead of UTC, in ms, at a moment (in ms). */
function londonOffset(at: number): number {
	const hour = Math.floor(at / 3_600_000) * 3_600_000;
	let offset = offsets.get(hour);
	if (offset === undefined) {
		const part = Object.fromEntries(
			london.formatToParts(hour).map(({ type, value }) => [type, Number(value)])
		) as Record<string, number>;
		offset =
			Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!) -
			hour;
		if (offsets.size >= 10_000) offsets.clear();
		offsets.set(hour, offset);
	}
	return offset;
}

/** What a London clock and calendar showed at a moment. */
function inLondon(at: Date): WallClock {
	const wall = new Date(at.getTime() + londonOffset(at.getTime()));
	return {
		year: wall.getUTCFullYear(),
		month: wall.getUTCMonth() + 1,
		day: wall.getUTCDate(),
		hour: wall.getUTCHours(),
		minute: wall.getUTCMinutes(),
		second: wall.getUTCSeconds(),
		ms: at.getUTCMilliseconds()
	};
}

/** The moment a London clock shows a wall time (GMT or BST, whichever London keeps that day). */
function fromLondon(wall: WallClock): Date {
	const naive = Date.UTC(
		wall.year,
		wall.month - 1,
		wall.day,
		wall.hour,
		wall.minute,
		wall.second,
		wall.ms
	);
	let at = naive;
	// Two rounds settle the offset; working days never fall on the Sundays the clocks change.
	for (let round = 0; round < 2; round += 1) {
		const shown = inLondon(new Date(at));
		const shownUtc = Date.UTC(
			shown.year,
			shown.month - 1,
			shown.day,
			shown.hour,
			shown.minute,
			shown.second,
			wall.ms
		);
		at -= shownUtc - naive;
	}
	return new Date(at);
}

/** The London calendar day after `wall`'s, at the same wall time. */
function nextDay(wall: WallClock): WallClock {
	const next = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + 1));
	return {
		...wall,
		year: next.getUTCFullYear(),
		month: next.getUTCMonth() + 1,
		day: next.getUTCDate()
	};
}

/** Monday to Friday in London, and not a bank holiday in England and Wales. */
function isWorkingDay(wall: WallClock): boolean {
	const weekday = new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();
	const date = `${wall.year}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
	return weekday !== 0 && weekday !== 6 && !isBankHoliday(date);
}

/**
 * `from` plus `days` working days, counted on London's calendar: Monday to Friday, never an
 * England-and-Wales bank holiday. "Within 1 working day" means by the same London clock time on
 * the next working day: a referral at 18:00 on a Friday is due at 18:00 on Monday (Tuesday when
 * that Monday is a bank holiday). A referral made on a weekend or a bank holiday starts its clock
 * at 09:00 on the next working day.
 */
export function addWorkingDays(from: Date, days: number): Date {
	let wall = inLondon(from);
	if (!isWorkingDay(wall)) {
		do wall = nextDay(wall);
		while (!isWorkingDay(wall));
		wall = { ...wall, hour: 9, minute: 0, second: 0, ms: 0 };
	}
	for (let left = days; left > 0; left -= 1) {
		do wall = nextDay(wall);
		while (!isWorkingDay(wall));
	}
	return fromLondon(wall);
}

/** The configured first-contact target, in working days, for a triage priority (3 urgent, 2 high). */
export function targetDays(priority: number): number {
	const days = config().firstContactDays;
	return priority === 3 ? days.urgent : priority === 2 ? days.high : days.standard;
}

/** The first-contact target for a case, from its priority and the configured working days. */
export function firstContactDue(createdAt: Date, priority: number): Date {
	return addWorkingDays(createdAt, targetDays(priority));
}

export type Clock =
	| { state: 'done'; at: Date }
	| { state: 'due' | 'overdue'; due: Date; minutes: number }
	| { state: 'closed' };

/**
 * Where a case stands against its first-contact target, now. The due time stored when the case
 * was opened is used when there is one, so the clock a row shows and the queue's "overdue" filter
 * (SQL, on the stored time) always agree, and a page of 50 rows does not walk 50 calendars.
 */
export function firstContactClock(
	row: {
		createdAt: Date;
		priority: number;
		status?: string;
		firstContactAt: Date | null;
		firstContactDueAt?: Date | null;
	},
	now = new Date()
): Clock {
	if (row.firstContactAt) return { state: 'done', at: row.firstContactAt };
	// Closed without a first contact (no way to reach them, say): the clock has stopped, and the
	// queue's overdue counts leave closed cases out too.
	if (row.status === 'closed') return { state: 'closed' };
	const due = row.firstContactDueAt ?? firstContactDue(row.createdAt, row.priority);
	const minutes = Math.round((due.getTime() - now.getTime()) / 60_000);
	return { state: minutes < 0 ? 'overdue' : 'due', due, minutes: Math.abs(minutes) };
}
