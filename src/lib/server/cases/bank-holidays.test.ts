import { describe, expect, it } from 'vitest';
import { bankHolidays, bankHolidaysKnownUntil, isBankHoliday } from './bank-holidays';

/** Easter Sunday by the Gregorian computus (Meeus/Jones/Butcher), as a UTC date. */
function easter(year: number): Date {
	const a = year % 19;
	const b = Math.floor(year / 100);
	const c = year % 100;
	const h =
		(19 * a + b - Math.floor(b / 4) - Math.floor((b - Math.floor((b + 8) / 25) + 1) / 3) + 15) % 30;
	const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
	const m = Math.floor((a + 11 * h + 22 * l) / 451);
	const month = Math.floor((h + l - 7 * m + 114) / 31);
	const day = ((h + l - 7 * m + 114) % 31) + 1;
	return new Date(Date.UTC(year, month - 1, day));
}

const iso = (at: Date) => at.toISOString().slice(0, 10);
const plusDays = (at: Date, days: number) => new Date(at.getTime() + days * 86_400_000);

describe('England and Wales bank holidays', () => {
	it('are listed for at least a year ahead of today (add the next year from GOV.UK)', () => {
		expect(bankHolidaysKnownUntil >= iso(plusDays(new Date(), 366))).toBe(true);
		expect(bankHolidays.at(-1)!.slice(0, 4)).toBe(bankHolidaysKnownUntil.slice(0, 4));
	});

	it('are eight weekdays a year, in order, with Good Friday and Easter Monday where Easter puts them', () => {
		for (const year of new Set(bankHolidays.map((day) => Number(day.slice(0, 4))))) {
			const days = bankHolidays.filter((day) => day.startsWith(`${year}-`));
			expect(days).toHaveLength(8);
			expect([...days].sort()).toEqual(days);
			for (const day of days)
				expect([0, 6]).not.toContain(new Date(`${day}T12:00:00Z`).getUTCDay());
			expect(isBankHoliday(iso(plusDays(easter(year), -2)))).toBe(true);
			expect(isBankHoliday(iso(plusDays(easter(year), 1)))).toBe(true);
		}
		expect(isBankHoliday('2026-12-28')).toBe(true);
		expect(isBankHoliday('2026-12-29')).toBe(false);
	});
});
