// The professional's referral form (/refer/professional): its choices, shared by the server
// (validation) and the page (rendering).

/** "Did the person agree to be referred?": no referral without a yes, unless a child is at risk. */
export const agreedChoices = ['yes', 'no', 'child_at_risk'] as const;
/** The kinds of professional who refer (`referrals.referrerKind`, `cases.referrerKind`). */
export const professionalKinds = [
	'police',
	'health',
	'school',
	'housing',
	'agency',
	'social_care',
	'other'
] as const;
export const ageChoices = ['adult', 'under18'] as const;
export const personRoles = ['victim', 'witness'] as const;
/**
 * The routes a professional can say are safe. Not "only through this website": the person has
 * no passphrase yet, so a route outside the website is how they hear their reference.
 */
export const professionalChannels = ['phone', 'text', 'email'] as const;
