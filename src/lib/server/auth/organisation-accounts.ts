import { and, eq, isNull } from 'drizzle-orm';
import * as audit from '$lib/server/audit';
import { database } from '$lib/server/db';
import { partnerAgencies, users } from '$lib/server/db/schema';
import { isStaffRole } from './guards';
import type { Organisation } from './organisations';

/** What an organisation's verified id token says about who signed in. */
export interface IdentityClaims {
	iss: string;
	sub: string;
	email?: unknown;
	email_verified?: unknown;
}

/** Why an organisation's sign-in was refused; each has its own message on the sign-in page. */
export const refusals = [
	'notVerified',
	'wrongDomain',
	'unknownAccount',
	'wrongRole',
	'deactivated',
	'subjectMismatch',
	'failed',
	'unavailable'
] as const;
export type Refusal = (typeof refusals)[number];

export type Matched =
	| { ok: true; userId: string; role: (typeof users.$inferSelect)['role'] }
	| { ok: false; reason: Refusal; userId?: string };

/**
 * The existing account an organisation's verified identity signs in to, binding the identity's
 * issuer and subject to it at the first sign-in; nobody is ever created here. Refused: an email
 * the organisation has not verified or does not vouch for (not one of its domains), no account
 * with that email, an account of a kind the organisation may not sign in (our own staff's
 * organisation signs in our staff; an agency's, its own partner workers only), a deactivated or
 * locked account (or a worker of an agency switched off), or one already bound to another identity.
 */
export function match(org: Organisation, claims: IdentityClaims): Matched {
	if (typeof claims.email !== 'string' || claims.email_verified !== true) {
		return { ok: false, reason: 'notVerified' };
	}
	const email = claims.email.trim().toLowerCase();
	const domain = email.slice(email.lastIndexOf('@') + 1);
	if (!email.includes('@') || !org.emailDomains.includes(domain)) {
		return { ok: false, reason: 'wrongDomain' };
	}
	const db = database();
	const found = db
		.select({ account: users, agencyActive: partnerAgencies.active })
		.from(users)
		.leftJoin(partnerAgencies, eq(partnerAgencies.id, users.agencyId))
		.where(eq(users.email, email))
		.get();
	if (!found) return { ok: false, reason: 'unknownAccount' };
	const account = found.account;
	const refused = (reason: Refusal): Matched => ({ ok: false, reason, userId: account.id });
	const mayUse =
		org.agencyId === null
			? isStaffRole(account.role)
			: account.role === 'partner' && account.agencyId === org.agencyId;
	if (!mayUse) return refused('wrongRole');
	// A worker of an agency taken off the list is refused as their own deactivation would be.
	const agencyOff = account.role === 'partner' && found.agencyActive !== true;
	if (account.deactivatedAt || account.lockedAt || agencyOff) return refused('deactivated');
	if (account.oidcSubject !== null) {
		const same = account.oidcIssuer === claims.iss && account.oidcSubject === claims.sub;
		return same ? { ok: true, userId: account.id, role: account.role } : refused('subjectMismatch');
	}
	// First sign-in with this organisation: the identity must not already belong to someone else.
	const holder = db
		.select({ id: users.id })
		.from(users)
		.where(and(eq(users.oidcIssuer, claims.iss), eq(users.oidcSubject, claims.sub)))
		.get();
	if (holder) return refused('subjectMismatch');
	const bound = db
		.update(users)
		.set({ oidcIssuer: claims.iss, oidcSubject: claims.sub })
		.where(and(eq(users.id, account.id), isNull(users.oidcSubject)))
		.run();
	if (bound.changes !== 1) return refused('subjectMismatch');
	return { ok: true, userId: account.id, role: account.role };
}

/** Records a refused organisation sign-in: which organisation, why, and whose account if known. */
export function recordRefusal(org: Pick<Organisation, 'name'> | null, refused: Matched): void {
	if (refused.ok) return;
	audit.record('sign_in_failed', null, {
		subjectId: refused.userId,
		detail: `organisation sign-in${org ? ` with ${org.name}` : ''}: ${refused.reason}`
	});
}
