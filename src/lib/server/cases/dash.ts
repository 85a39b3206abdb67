/**
 * The DASH (2009) risk identification checklist used across UK domestic-abuse services: 24
 * questions asked of the person; 14 or more "yes" answers is high risk and means a MARAC referral.
 * The wording is in `staff.dash.questions.<id>`.
 */
export const dashQuestions = Array.from({ length: 24 }, (_, i) => `q${i + 1}`);

/** The number of "yes" answers at which a case is high risk and goes to MARAC. */
export const maracThreshold = 14;

/** The score of a set of answers: how many questions were answered "yes". */
export function dashScore(yes: readonly string[]): number {
	return new Set(yes.filter((id) => dashQuestions.includes(id))).size;
}

/** Whether a DASH score calls for a MARAC referral. */
export function needsMarac(score: number | null): boolean {
	return score !== null && score >= maracThreshold;
}
