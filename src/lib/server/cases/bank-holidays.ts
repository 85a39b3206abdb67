/**
 * Bank holidays in England and Wales, from GOV.UK's published list (https://www.gov.uk/bank-holidays,
 * also https://www.gov.uk/bank-holidays.json, "england-and-wales"). Substitute days are the days
 * off, so they are what is listed. Years GOV.UK had not yet published when this was written were
 * worked out by the same rules (the Banking and Financial Dealings Act 1971 and the usual royal
 * proclamations) and must be checked against GOV.UK once it lists them: a one-off holiday (a
 * coronation, a jubilee) is only ever announced there. `bank-holidays.test.ts` fails when this
 * list runs out within a year of today, so that someone adds the next year in time.
 */
export const bankHolidays: readonly string[] = [
	// 2026
	'2026-01-01', // New Year's Day
	'2026-04-03', // Good Friday
	'2026-04-06', // Easter Monday
	'2026-05-04', // Early May bank holiday
	'2026-05-25', // Spring bank holiday
	'2026-08-31', // Summer bank holiday
	'2026-12-25', // Christmas Day
	'2026-12-28', // Boxing Day (substitute day)
	// 2027
	'2027-01-01', // New Year's Day
	'2027-03-26', // Good Friday
	'2027-03-29', // Easter Monday
	'2027-05-03', // Early May bank holiday
	'2027-05-31', // Spring bank holiday
	'2027-08-30', // Summer bank holiday
	'2027-12-27', // Christmas Day (substitute day)
	'2027-12-28', // Boxing Day (substitute day)
	// 2028 (by the rules; check against GOV.UK)
	'2028-01-03', // New Year's Day (substitute day)
	'2028-04-14', // Good Friday
	'2028-04-17', // Easter Monday
	'2028-05-01', // Early May bank holiday
	'2028-05-29', // Spring bank holiday
	'2028-08-28', // Summer bank holiday
	'2028-12-25', // Christmas Day
	'2028-12-26', // Boxing Day
	// 2029 (by the rules; check against GOV.UK)
	'2029-01-01', // New Year's Day
	'2029-03-30', // Good Friday
	'2029-04-02', // Easter Monday
	'2029-05-07', // Early May bank holiday
	'2029-05-28', // Spring bank holiday
	'2029-08-27', // Summer bank holiday
	'2029-12-25', // Christmas Day
	'2029-12-26' // Boxing Day
];

/** The last day the list above covers: every later day is counted as if no holiday falls on it. */
export const bankHolidaysKnownUntil = '2029-12-31';

const holidays = new Set(bankHolidays);

/** Whether a London calendar day ("2026-12-25") is a bank holiday in England and Wales. */
export function isBankHoliday(londonDate: string): boolean {
	return holidays.has(londonDate);
}
