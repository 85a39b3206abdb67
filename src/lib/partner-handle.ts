// No imports: the browser tests name a referral as the partner area does, from this same code.

/**
 * The handle both sides use to talk about a referral: eight random characters of its id. The
 * case reference is not shown to the agency; it is ours, and the person may use it to sign in.
 * A partner referral's id is random (version 4: its first eight); were it time-ordered (version
 * 7, `newId` in db/schema.ts), it would begin with the time, the same for referrals made
 * together, and its last eight are taken instead.
 */
export function handleOf(id: string): string {
	const hex = id.replace(/-/g, '');
	const random = (hex[12] === '7' ? hex.slice(-8) : hex.slice(0, 8)).toUpperCase();
	return `${random.slice(0, 4)}-${random.slice(4)}`;
}
