// Organisation sign-in's test data, made on the very SQLite file the built server under test
// uses: the test organisation (its provider is tests/e2e/oidc-provider.js) and staff accounts.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import { seal } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { auditLog, sessions, signInOrganisations, users } from '$lib/server/db/schema';
import { testOrganisation } from '../../playwright.config';
import { connect, retrying } from './people';

/** Registers the test provider as our own staff's organisation (once; both projects ask). */
export async function registerTestOrganisation(): Promise<void> {
	connect();
	const { clientSecret, ...org } = testOrganisation;
	await retrying(() =>
		database()
			.insert(signInOrganisations)
			.values({ ...org, clientSecretSealed: seal(clientSecret) })
			.onConflictDoNothing()
			.run()
	);
}

/** A new work email in the test organisation's domain, unique to one test. */
export function workEmail(who: string): string {
	return `${who}.${randomBytes(4).toString('hex')}@${testOrganisation.emailDomains[0]}`;
}

/** A caseworker account with its second factor set up; returns its id and TOTP secret. */
export async function caseworker(
	email: string,
	extra: Partial<typeof users.$inferInsert> = {}
): Promise<{ id: string; secret: string }> {
	connect();
	const secret = generateSecret();
	const row = await retrying(() =>
		database()
			.insert(users)
			.values({
				role: 'caseworker',
				email,
				nameSealed: seal('Sam'),
				totpSealed: seal(secret),
				// Enrolment finished (no recovery codes left is still finished).
				recoveryHashes: [],
				...extra
			})
			.returning()
			.get()
	);
	return { id: row.id, secret };
}

/** The account with this email as the server now has it, if any. */
export function accountByEmail(email: string) {
	connect();
	return database().select().from(users).where(eq(users.email, email)).get();
}

/** The refused sign-ins recorded against an account. */
export function refusedSignIns(userId: string) {
	connect();
	return database()
		.select({ detail: auditLog.detail })
		.from(auditLog)
		.where(and(eq(auditLog.action, 'sign_in_failed'), eq(auditLog.subjectId, userId)))
		.all();
}

/** Deactivates an account as the admin's page does: the flag, and every session ended. */
export async function deactivate(userId: string): Promise<void> {
	connect();
	await retrying(() => {
		database().update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, userId)).run();
		database()
			.update(sessions)
			.set({ revokedAt: new Date() })
			.where(eq(sessions.userId, userId))
			.run();
	});
}
