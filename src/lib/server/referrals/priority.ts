import type { Answers } from '$lib/referral/steps';

/** Triage priority from the answers: 3 urgent, 2 high, 1 standard, with the reasons. */
export function triagePriority(answers: Answers): { priority: 1 | 2 | 3; reasons: string[] } {
	const raised: [boolean, string, number][] = [
		[answers.safeNow === 'danger', 'immediate_danger', 3],
		[answers.needs?.childAtRisk === 'yes', 'child_at_risk', 3],
		[answers.happened?.crimeType === 'domestic_abuse', 'domestic_abuse', 2],
		[answers.happened?.crimeType === 'sexual_violence', 'sexual_violence', 2],
		[answers.happened?.crimeType === 'stalking', 'stalking', 1],
		[answers.happened?.crimeType === 'hate_crime', 'hate_crime', 1],
		[answers.happened?.when === 'ongoing', 'ongoing', 1],
		[answers.safeNow === 'unsure' || answers.needs?.childAtRisk === 'unsure', 'unsure_safety', 1]
	];
	const hits = raised.filter(([applies]) => applies);
	const score = hits.reduce((sum, [, , weight]) => sum + weight, 0);
	return {
		priority: score >= 3 ? 3 : score >= 2 ? 2 : 1,
		reasons: hits.map(([, reason]) => reason)
	};
}
