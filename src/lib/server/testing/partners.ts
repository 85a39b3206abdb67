import { generateSecret } from 'otplib';
import { hashSecret } from '$lib/server/auth/passwords';
import { seal } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { partnerReferrals, users } from '$lib/server/db/schema';

// Partner-area test data, written straight to the tables: the consent journey that makes a
// referral 'sent' is another module's (partners/consent.ts), so a test starts from its result.

/**
 * A referral already shared with an agency: status 'sent', the summary sealed, consent
 * recorded by the caseworker. Returns its id.
 */
export function sentReferral(
	caseId: string,
	agencyId: string,
	summary: string,
	{
		sentAt = new Date(),
		status = 'sent' as const,
		withoutConsent = false
	}: { sentAt?: Date; status?: 'sent'; withoutConsent?: boolean } = {}
): string {
	return database()
		.insert(partnerReferrals)
		.values({
			caseId,
			agencyId,
			reasonSealed: seal('Needs help with housing')!,
			summarySealed: seal(summary),
			status,
			// Or shared without consent on a high-risk case, as consent.ts's override does.
			...(withoutConsent
				? { consentBasis: 'override' as const, overrideBasis: 'marac' as const }
				: { consentBasis: 'recorded' as const }),
			consentAt: sentAt,
			sentAt,
			updatedAt: sentAt
		})
		.returning({ id: partnerReferrals.id })
		.get().id;
}

/**
 * A partner worker of an agency, enrolled, with a known password and TOTP secret, named
 * "<name> Jones" (sealed). Returns them as the guard gives them, with how they sign in.
 */
export async function partnerWorker(
	agencyId: string,
	name: string,
	{ partnerAdmin = false, password = 'partner worker password' } = {}
) {
	const secret = generateSecret();
	const row = database()
		.insert(users)
		.values({
			role: 'partner',
			agencyId,
			partnerAdmin,
			email: `${name.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}@${agencyId}.test`,
			nameSealed: seal(`${name} Jones`),
			secretHash: await hashSecret(password),
			totpSealed: seal(secret),
			recoveryHashes: []
		})
		.returning()
		.get();
	return {
		userId: row.id,
		role: 'partner' as const,
		agencyId,
		partnerAdmin,
		email: row.email!,
		password,
		secret
	};
}
