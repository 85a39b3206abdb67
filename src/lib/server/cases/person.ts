import { and, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import * as audit from '$lib/server/audit';
import { open as unseal, seal } from '$lib/server/crypto';
import { database, prepared } from '$lib/server/db';
import {
	cases,
	courtHearings,
	partnerAgencies,
	partnerReferrals,
	referrals,
	users
} from '$lib/server/db/schema';
import { isLocale } from '$lib/i18n/locales';
import * as partners from '$lib/server/partners/for-person';
import type { Answers } from '$lib/server/referrals/schemas';
import { enqueue, oldContactNotices } from '$lib/server/notify/outbox';
import type { CaseRow } from './access';
import { changeCase } from './command';
import { indexNames } from './names';
import { firstContactDue, targetDays } from './clock';
import { firstName, noContact } from './record';

/**
 * The person's own case, found by their user id; never anyone else's. Portal routes read it once
 * per request through `$lib/server/portal` and hand the row to the functions below.
 */
export function ownCase(personId: string): CaseRow | undefined {
	return caseOfPerson().get({ personId });
}

// The queries every portal page makes, built once (`prepared`).
const caseOfPerson = prepared((db) =>
	db
		.select()
		.from(cases)
		.where(eq(cases.personId, sql.placeholder('personId')))
		.prepare()
);
const hearingOf = prepared((db) =>
	db
		.select({ id: courtHearings.id })
		.from(courtHearings)
		.where(eq(courtHearings.caseId, sql.placeholder('caseId')))
		.limit(1)
		.prepare()
);
const contactOfReferral = prepared((db) =>
	db
		.select({ contact: referrals.contact })
		.from(referrals)
		.where(eq(referrals.id, sql.placeholder('referralId')))
		.prepare()
);
/** The statuses of a referral that was shared (the query below reads no others). */
type Shared = 'sent' | 'accepted' | 'declined' | 'closed';
const agenciesHelping = prepared((db) =>
	db
		.select({
			id: partnerReferrals.id,
			agencyId: partnerAgencies.id,
			agency: partnerAgencies.name,
			does: partnerAgencies.does,
			status: partnerReferrals.status,
			at: partnerReferrals.updatedAt,
			sharedAt: partnerReferrals.sentAt
		})
		.from(partnerReferrals)
		.innerJoin(partnerAgencies, eq(partnerAgencies.id, partnerReferrals.agencyId))
		// Only referrals that were shared: a proposal the person has not answered, or refused,
		// shares nothing (partners/consent.ts asks about those separately). Sharing without
		// consent is not shown: their named contact decides when telling them is safe.
		.where(
			and(
				eq(partnerReferrals.caseId, sql.placeholder('caseId')),
				inArray(partnerReferrals.status, ['sent', 'accepted', 'declined', 'closed']),
				or(isNull(partnerReferrals.consentBasis), ne(partnerReferrals.consentBasis, 'override'))
			)
		)
		.orderBy(desc(partnerReferrals.createdAt))
		.prepare()
);
const staffMember = prepared((db) =>
	db
		.select({ name: users.nameSealed, role: users.role })
		.from(users)
		.where(eq(users.id, sql.placeholder('id')))
		.prepare()
);

/**
 * Everything the person's portal shows about their case: where it stands, their named contact
 * and how they will be contacted, the agencies helping, and which roles have seen the record.
 */
export function overview(row: CaseRow) {
	const contact = contactOfReferral().get({ referralId: row.referralId })?.contact ?? noContact;
	const helping = agenciesHelping().all({ caseId: row.id });
	return {
		reference: row.reference,
		status: row.status,
		stages: stagesFor(row.status, hasHearing(row)),
		firstContactBy: row.firstContactAt
			? null
			: (row.firstContactDueAt ?? firstContactDue(row.createdAt, row.priority)),
		workingDays: targetDays(row.priority),
		namedContact: contactOf(row.caseworkerId),
		contactBy: {
			channels: row.safeChannels,
			safeTimes: contact.safeTimes,
			voicemail: row.voicemail,
			sayWhoWeAre: row.sayWhoWeAre
		},
		helping: helping.map(({ sharedAt: _, status, ...agency }) => ({
			...agency,
			status: status as Shared
		})),
		// Proposed referrals waiting for the person's yes or no.
		asking: partners.waiting(row.id),
		// Who the record was shared with: the same rows, not read twice.
		seenBy: {
			visits: audit.visits(row.id),
			shares: helping.map((agency) => ({
				agency: agency.agency,
				at: agency.sharedAt ?? agency.at
			}))
		}
	};
}

const allStages = ['new', 'in_triage', 'assigned', 'support', 'court', 'closed'] as const;

/** A named contact as the person sees them: first name and role only. */
function contactOf(caseworkerId: string | null) {
	if (!caseworkerId) return null;
	const named = staffMember().get({ id: caseworkerId });
	// A named contact is one of our staff, never a partner worker or a person.
	return named && named.role !== 'person' && named.role !== 'partner'
		? { name: firstName(named.name), role: named.role }
		: null;
}

/** The person's named contact, if they have one yet (for pages that need only that). */
export function namedContact(row: Pick<CaseRow, 'caseworkerId'>) {
	return contactOf(row.caseworkerId);
}

/**
 * Whether the person's case has a hearing: the portal offers its court page then. Asked by the
 * portal's layout and again by `/my`'s overview for the same row, read once per request
 * (`requireOwnCase`): the answer is kept with that row object, so the query runs once.
 */
export function hasHearing(row: Pick<CaseRow, 'id'>): boolean {
	let known = hearingKnown.get(row);
	if (known === undefined) {
		known = Boolean(hearingOf().get({ caseId: row.id }));
		hearingKnown.set(row, known);
	}
	return known;
}
const hearingKnown = new WeakMap<object, boolean>();

/** The stages the person's case goes through, each done, current or to come; court only if any. */
function stagesFor(status: (typeof allStages)[number], hasHearing: boolean) {
	const shown = allStages.filter((s) => s !== 'court' || hasHearing || status === 'court');
	const at = shown.indexOf(status);
	return shown.map((stage, i) => ({
		stage,
		state: i < at ? 'done' : i === at ? 'current' : 'next'
	})) as { stage: (typeof allStages)[number]; state: 'done' | 'current' | 'next' }[];
}

/** What the person can change about how we contact them, from their referral. */
export function preferences(row: CaseRow) {
	const db = database();
	const referral = db.select().from(referrals).where(eq(referrals.id, row.referralId)).get()!;
	const contact = referral.contact ?? noContact;
	return {
		contact: {
			channels: row.safeChannels,
			name: referral.names?.name ?? '',
			phone: contact.phone,
			email: contact.email,
			voicemail: row.voicemail,
			sayWhoWeAre: row.sayWhoWeAre,
			safeTimes: contact.safeTimes,
			alternative: contact.alternative
		},
		language: {
			language: row.language,
			interpreter: row.interpreter ? 'yes' : 'no',
			accessNeeds: unseal(referral.accessNeedsSealed) ?? ''
		},
		consent: { share: row.consentShare ? 'yes' : '', police: row.consentPolice ? 'yes' : '' }
	};
}

export type PreferencePart = 'contact' | 'language' | 'consent';

type Given<K extends keyof Answers> = NonNullable<Answers[K]>;

/**
 * Saves a change the person made to how we contact them, their language or their consents.
 * The case's safe routes change at once; the named contact sees it in the console timeline
 * and is told through the outbox; the audit trail records it.
 */
export function updatePreferences(
	own: Pick<CaseRow, 'id' | 'personId'>,
	part: PreferencePart,
	input: Record<string, unknown>
): boolean {
	const personId = own.personId;
	const changed = changeCase({ userId: personId, role: 'person' }, own, (tx, row) => {
		const referral = tx.select().from(referrals).where(eq(referrals.id, row.referralId)).get()!;
		if (part === 'contact') {
			const c = input as Given<'contact'>;
			const old = referral.contact ?? noContact;
			// The old safe address hears that it changed, without a word of what to (takeover alarm).
			const notices = oldContactNotices(
				{
					channels: row.safeChannels,
					email: old.email,
					phone: old.phone,
					sayWhoWeAre: row.sayWhoWeAre
				},
				c,
				isLocale(row.language) ? row.language : 'en'
			);
			for (const notice of notices) enqueue('contact_changed', row.id, notice, tx);
			const names = { them: referral.names?.them ?? null, name: c.name };
			tx.update(referrals)
				.set({
					contact: {
						phone: c.phone,
						email: c.email,
						safeTimes: c.safeTimes,
						alternative: c.alternative,
						themContact: old.themContact
					},
					names
				})
				.where(eq(referrals.id, referral.id))
				.run();
			// The queue's name search follows the name the person now goes by.
			indexNames(tx, row.id, names);
			tx.update(cases)
				.set({ safeChannels: c.channels, voicemail: c.voicemail, sayWhoWeAre: c.sayWhoWeAre })
				.where(eq(cases.id, row.id))
				.run();
			tx.update(users)
				.set({ nameSealed: seal(c.name) })
				.where(eq(users.id, personId))
				.run();
		} else if (part === 'language') {
			const l = input as Given<'language'>;
			tx.update(referrals)
				.set({ accessNeedsSealed: seal(l.accessNeeds) })
				.where(eq(referrals.id, referral.id))
				.run();
			tx.update(cases)
				.set({ language: l.language, interpreter: l.interpreter === 'yes' })
				.where(eq(cases.id, row.id))
				.run();
		} else {
			const c = input as Given<'consent'>;
			tx.update(cases)
				.set({ consentShare: c.share, consentPolice: c.police })
				.where(eq(cases.id, row.id))
				.run();
		}
		return {
			audit: 'preferences_changed',
			event: { kind: 'preferences_changed', visible: false, params: { part } },
			notify: { kind: 'preferences_changed', audience: 'staff' }
		};
	});
	return changed.ok;
}
