import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { preferredLanguages } from '$lib/referral/steps';
import { open as unseal } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { caseEvents, referrals, users, type ContactDetails } from '$lib/server/db/schema';
import { smsConfigured } from '$lib/server/notify/sms';
import type { ReferralAnswers } from '$lib/server/referrals/schemas';
import type { CaseRow } from './access';
import { firstContactClock } from './clock';
import { needsMarac } from './dash';

/** A referral made before contact details were kept (none is, today): nothing to show. */
export const noContact: ContactDetails = {
	phone: '',
	email: '',
	safeTimes: '',
	alternative: '',
	themContact: null
};

/** One rule staff must follow before contacting the person: an i18n key and its values. */
export interface SafeContactRule {
	key: string;
	params?: Record<string, string>;
}

/**
 * The safe-contact rules, most restrictive first: shown at the top of every case page and
 * enforced by the actions that contact the person.
 */
export function safeContactRules(
	routes: Pick<CaseRow, 'safeChannels' | 'voicemail' | 'sayWhoWeAre'>,
	referral: { relationship: string; answers: Pick<ReferralAnswers, 'themKnows'> },
	contact: ContactDetails
): SafeContactRule[] {
	const rules: SafeContactRule[] = [];
	const channels = routes.safeChannels;
	if (channels.length === 1 && channels[0] === 'portal') {
		rules.push({ key: 'portalOnly' });
	} else {
		rules.push({ key: 'onlyBy', params: { channels: channels.join(',') } });
	}
	if (routes.sayWhoWeAre === 'no') rules.push({ key: 'doNotSayWhoWeAre' });
	if (routes.voicemail === 'no') rules.push({ key: 'noVoicemail' });
	if (routes.voicemail === 'yes') rules.push({ key: 'voicemailSafe' });
	if (contact.safeTimes) rules.push({ key: 'safeTimes', params: { times: contact.safeTimes } });
	if (referral.relationship === 'family' && referral.answers.themKnows !== 'yes') {
		rules.push({ key: 'themUnaware' });
	}
	if (contact.alternative) {
		rules.push({ key: 'alternative', params: { alternative: contact.alternative } });
	}
	return rules;
}

/** The case as the console shows it: everything the person told us, decrypted here only. */
export function details(row: CaseRow) {
	const db = database();
	const referral = db.select().from(referrals).where(eq(referrals.id, row.referralId)).get()!;
	const answers = referral.answers;
	const contact: ContactDetails = referral.contact ?? noContact;
	const names = referral.names;
	const caseworker = row.caseworkerId ? staffMember(row.caseworkerId) : null;
	const person = db
		.select({ secretHash: users.secretHash })
		.from(users)
		.where(eq(users.id, row.personId))
		.get();
	return {
		id: row.id,
		reference: row.reference,
		status: row.status,
		priority: row.priority,
		priorityReasons: row.priorityReasons,
		crimeType: row.crimeType,
		policeReported: row.policeReported,
		needs: row.needs,
		safeChannels: row.safeChannels,
		voicemail: row.voicemail,
		sayWhoWeAre: row.sayWhoWeAre,
		language: row.language,
		languageName: preferredLanguages.find((l) => l.code === row.language)?.name ?? row.language,
		interpreter: row.interpreter,
		consentShare: row.consentShare,
		consentPolice: row.consentPolice,
		riskLevel: row.riskLevel,
		dash: row.dashScore === null ? null : { score: row.dashScore, at: row.dashAt },
		marac: needsMarac(row.dashScore),
		outcome: row.outcome,
		closed: row.status === 'closed',
		closedAt: row.closedAt,
		/** Set once anonymised: what the person told us is gone, the fields below are empty. */
		anonymisedAt: row.anonymisedAt,
		legalHold: row.legalHoldAt
			? { reason: row.legalHoldReason ?? '', at: row.legalHoldAt, by: row.legalHoldBy }
			: null,
		createdAt: row.createdAt,
		clock: firstContactClock(row),
		caseworker,
		relationship: referral.relationship,
		source: referral.source,
		referrerKind: referral.referrerKind,
		/** A professional referral: who referred, and how to reach them at work. */
		referrer: referral.referrer,
		personAgreed: referral.personAgreed,
		/**
		 * How the person gets a passphrase when a professional referred them (they have none
		 * yet): null once they chose one. See `passphraseRoute`.
		 */
		passphraseRoute: person?.secretHash ? null : passphraseRoute(row.safeChannels),
		answers,
		names: { name: names?.name ?? '', them: names?.them ?? null },
		contact,
		account: unseal(referral.accountSealed) ?? '',
		crimeReference: unseal(referral.crimeReferenceSealed) ?? '',
		accessNeeds: unseal(referral.accessNeedsSealed) ?? '',
		rules: safeContactRules(row, referral, contact)
	};
}

export type CaseDetails = ReturnType<typeof details>;

/**
 * For a person with no passphrase yet (a professional referred them): `email`, we emailed their
 * reference and the page that emails a link to choose one; `text`, we texted the reference and
 * the named contact gives a reset code by phone; `phone`, we could send nothing, so the named
 * contact gives both by phone (the reset code from /staff/people).
 */
export function passphraseRoute(channels: readonly string[]): 'email' | 'text' | 'phone' {
	if (channels.includes('email')) return 'email';
	// Without GOV.UK Notify set up no text goes (professional.ts sends none): say so.
	if (channels.includes('text') && smsConfigured()) return 'text';
	return 'phone';
}

/** The DASH answers last recorded on a case ("yes" question ids), decrypted. */
export function dashAnswers(row: CaseRow): string[] {
	return row.dash ?? [];
}

/** A staff member as a case shows them: first name, role and work email. */
export function staffMember(id: string) {
	const user = database()
		.select({ id: users.id, role: users.role, email: users.email, nameSealed: users.nameSealed })
		.from(users)
		.where(eq(users.id, id))
		.get();
	if (!user) return null;
	return {
		id: user.id,
		role: user.role,
		email: user.email ?? '',
		name: firstName(user.nameSealed)
	};
}

/** The first word of a sealed name: people see their contact's first name only. */
export function firstName(sealed: string | null): string {
	return (unseal(sealed) ?? '').trim().split(/\s+/)[0] ?? '';
}

/** The whole timeline for staff, newest first: visible events and internal ones, notes opened. */
export function timeline(caseId: string) {
	const db = database();
	const events = db
		.select()
		.from(caseEvents)
		.where(eq(caseEvents.caseId, caseId))
		.orderBy(desc(caseEvents.createdAt))
		.all();
	const actorIds = [...new Set(events.map((e) => e.actorId).filter((x): x is string => !!x))];
	const actors = new Map(
		actorIds.length
			? db
					.select({ id: users.id, email: users.email })
					.from(users)
					.where(inArray(users.id, actorIds))
					.all()
					.map((u) => [u.id, u.email ?? ''])
			: []
	);
	return events.map((event) => {
		const params = { ...(event.params ?? {}) };
		// Internal notes are sealed in the event; opened only for the console.
		if (params.sealed) {
			params.text = unseal(params.sealed) ?? '';
			delete params.sealed;
		}
		return {
			id: event.id,
			kind: event.kind,
			visibleToPerson: event.visibleToPerson,
			params,
			at: event.createdAt,
			by: event.actorId ? (actors.get(event.actorId) ?? '') : ''
		};
	});
}

/** Staff who can be a named contact: active caseworkers and supervisors, by email. */
export function namedContactChoices() {
	return database()
		.select({
			id: users.id,
			email: users.email,
			role: users.role,
			deactivatedAt: users.deactivatedAt
		})
		.from(users)
		.where(and(inArray(users.role, ['caseworker', 'supervisor'])))
		.orderBy(asc(users.email))
		.all()
		.filter((u) => !u.deactivatedAt)
		.map((u) => ({ id: u.id, email: u.email ?? '', role: u.role }));
}
