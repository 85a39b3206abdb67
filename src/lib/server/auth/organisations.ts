import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import * as audit from '$lib/server/audit';
import { seal } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { partnerAgencies, signInOrganisations } from '$lib/server/db/schema';
import type { SignedIn } from './sessions';

export type Organisation = typeof signInOrganisations.$inferSelect;

/** The organisations offered as "Sign in with …" buttons: our own staff's, or one agency's. */
export function forSignIn(audience: 'staff' | 'partner') {
	// An agency taken off the list has no workers who may sign in.
	return database()
		.select({
			id: signInOrganisations.id,
			name: signInOrganisations.name,
			agencyId: signInOrganisations.agencyId,
			agencyActive: partnerAgencies.active
		})
		.from(signInOrganisations)
		.leftJoin(partnerAgencies, eq(partnerAgencies.id, signInOrganisations.agencyId))
		.where(eq(signInOrganisations.active, true))
		.orderBy(asc(signInOrganisations.name))
		.all()
		.filter((org) => org.agencyActive !== false)
		.filter((org) => (audience === 'staff') === (org.agencyId === null))
		.map(({ id, name }) => ({ id, name }));
}

/** One organisation to sign in through; undefined when unknown, switched off, or its agency is. */
export function active(id: string): Organisation | undefined {
	const found = database()
		.select({ org: signInOrganisations, agencyActive: partnerAgencies.active })
		.from(signInOrganisations)
		.leftJoin(partnerAgencies, eq(partnerAgencies.id, signInOrganisations.agencyId))
		.where(eq(signInOrganisations.id, id))
		.get();
	return found?.org.active && found.agencyActive !== false ? found.org : undefined;
}

/** Every organisation, for the admins who set them up; the client secret never leaves here. */
export function all() {
	return database()
		.select({
			id: signInOrganisations.id,
			name: signInOrganisations.name,
			issuer: signInOrganisations.issuer,
			clientId: signInOrganisations.clientId,
			emailDomains: signInOrganisations.emailDomains,
			agency: partnerAgencies.name,
			active: signInOrganisations.active
		})
		.from(signInOrganisations)
		.leftJoin(partnerAgencies, eq(partnerAgencies.id, signInOrganisations.agencyId))
		.orderBy(asc(signInOrganisations.name))
		.all();
}

/**
 * An issuer we may send people's browsers to and trust tokens from: https, or plain http on this
 * machine only (a provider on 127.0.0.1 in tests cannot be overheard off the host). No query or
 * fragment (OpenID Connect Discovery 1.0, section 2).
 */
export function isAcceptableIssuer(value: string): boolean {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return false;
	}
	if (url.search || url.hash || url.username || url.password) return false;
	if (url.protocol === 'https:') return true;
	return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** Work email domains as typed (commas, spaces or lines between), lower case, each checked. */
export function parseDomains(typed: string): string[] | null {
	const domains = [
		...new Set(
			typed
				.split(/[\s,;]+/)
				.map((d) => d.trim().toLowerCase().replace(/^@/, ''))
				.filter(Boolean)
		)
	];
	const domainPattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
	if (domains.length === 0 || !domains.every((d) => domainPattern.test(d))) return null;
	return domains;
}

/** Adds an organisation; its client secret is sealed and never shown again. */
export function add(
	actor: Pick<SignedIn, 'userId' | 'role'>,
	input: {
		name: string;
		issuer: string;
		clientId: string;
		clientSecret: string;
		emailDomains: string[];
		agencyId: string | null;
	}
): { ok: true; id: string } | { ok: false; field: 'agency'; error: string } {
	const db = database();
	if (input.agencyId) {
		const agency = db
			.select({ id: partnerAgencies.id })
			.from(partnerAgencies)
			.where(eq(partnerAgencies.id, input.agencyId))
			.get();
		if (!agency) return { ok: false, field: 'agency', error: 'staff.organisations.errors.agency' };
	}
	const id = randomUUID();
	db.transaction((tx) => {
		tx.insert(signInOrganisations)
			.values({
				id,
				name: input.name,
				// Kept as typed but without a trailing slash: the issuer a provider names in its tokens.
				issuer: input.issuer.replace(/\/+$/, ''),
				clientId: input.clientId,
				clientSecretSealed: input.clientSecret ? seal(input.clientSecret) : null,
				emailDomains: input.emailDomains,
				agencyId: input.agencyId
			})
			.run();
		audit.record(
			'organisation_changed',
			{ id: actor.userId, role: actor.role },
			{ detail: `added ${input.name}` },
			tx
		);
	});
	return { ok: true, id };
}

/** Switches an organisation's sign-in off (or on again); those signed in stay until they leave. */
export function setActive(
	actor: Pick<SignedIn, 'userId' | 'role'>,
	id: string,
	isActive: boolean
): boolean {
	return database().transaction((tx) => {
		const updated = tx
			.update(signInOrganisations)
			.set({ active: isActive })
			.where(eq(signInOrganisations.id, id))
			.returning({ name: signInOrganisations.name })
			.get();
		if (!updated) return false;
		audit.record(
			'organisation_changed',
			{ id: actor.userId, role: actor.role },
			{ detail: `${isActive ? 'switched on' : 'switched off'} ${updated.name}` },
			tx
		);
		return true;
	});
}
