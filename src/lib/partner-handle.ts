// No imports: the browser tests name a referral as the partner area does, from this same code.

/**
 * The handle both sides use to talk about a referral: eight characters of its random id (a
 * partner referral's id stays random, `randomId` in db/schema.ts). The case reference is not
 * shown to the agency; it is ours, and the person may use it to sign in.
 */
export function handleOf(id: string): string {
	const hex = id.replace(/-/g, '').slice(0, 8).toUpperCase();
	return `${hex.slice(0, 4)}-${hex.slice(4)}`;
}
