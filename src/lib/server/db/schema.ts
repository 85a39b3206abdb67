import { sql } from 'drizzle-orm';
import {
	index,
	integer,
	primaryKey,
	sqliteTable,
	text,
	uniqueIndex
} from 'drizzle-orm/sqlite-core';
import type { Answers, ReferralAnswers } from '../referrals/schemas';
import type { FixedMessage } from '../notify/outbox';
import { sealedJson } from './sealed-json';

/** Seeds that have run against this database, so demo data is written once. */
export const seedRuns = sqliteTable('seed_runs', {
	name: text('name').primaryKey(),
	ranAt: integer('ran_at', { mode: 'timestamp_ms' })
		.notNull()
		.default(sql`(unixepoch('subsec') * 1000)`)
});

type Channel = NonNullable<Answers['contact']>['channels'][number];

/**
 * A new row's id: a UUID version 7 (RFC 9562), its first 48 bits the time in milliseconds and 74
 * bits random. Ids made one after another sort together, so each new row's entry in every index
 * keyed by an id (the rows' own, and `case_id`, `person_id`…) goes to the last pages, already in
 * memory, instead of a random page of each index to read and write back: a referral's commit
 * touches a dozen fewer pages at 100,000 cases. No id is a secret; the time in it is when the
 * row was inserted (a seeded row's `createdAt` may say otherwise). Where an id reaches someone
 * who must not learn that time, the table uses `randomId` instead.
 */
export function newId(): string {
	const random = crypto.randomUUID();
	const time = Date.now().toString(16).padStart(12, '0');
	return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}

const id = () => text('id').primaryKey().$defaultFn(newId);
/** A random id (UUID version 4), which tells nothing of when its row was made. */
const randomId = () =>
	text('id')
		.primaryKey()
		.$defaultFn(() => crypto.randomUUID());
const createdAt = () =>
	integer('created_at', { mode: 'timestamp_ms' })
		.notNull()
		.$defaultFn(() => new Date());

/** Who signs in: people, our staff (least to most rights), and partner agencies' workers. */
export const roles = ['person', 'caseworker', 'supervisor', 'admin', 'partner'] as const;
/** Our own staff, who work in the console: never a partner worker, never a person. */
export const staffRoles = ['caseworker', 'supervisor', 'admin'] as const;

/**
 * Everyone who signs in: people (by case reference and passphrase), staff, and partner workers
 * (a partner agency's own staff, who see only the referrals sent to their agency at /partner).
 */
export const users = sqliteTable(
	'users',
	{
		id: id(),
		role: text('role', { enum: roles }).notNull(),
		/** argon2id hash of a person's passphrase or a staff member's password. */
		secretHash: text('secret_hash'),
		/** Given name, sealed; shown to the person's named contact and, for staff, to people. */
		nameSealed: text('name_sealed'),
		/** Staff only: the work email they sign in with (lower case). People have none here. */
		email: text('email').unique(),
		/** Staff only: the TOTP secret, sealed; null until enrolment is finished. */
		totpSealed: text('totp_sealed'),
		/** The time step of the last TOTP code accepted: a code is accepted once (ASVS 5.0 V6.5). */
		totpLastStep: integer('totp_last_step'),
		/**
		 * Wrong second-factor codes in a row, over any time and from anywhere; back to 0 at a
		 * right one or a reset. At `secondFactorLimit` (auth/staff.ts) codes stop working.
		 */
		secondFactorFailures: integer('second_factor_failures').notNull().default(0),
		/** argon2 hashes of unused recovery codes. */
		recoveryHashes: text('recovery_hashes', { mode: 'json' }).$type<string[]>(),
		/** Staff accounts are deactivated, never deleted: the audit trail keeps pointing at them. */
		deactivatedAt: integer('deactivated_at', { mode: 'timestamp_ms' }),
		/** A one-time passphrase reset code a named contact issued after checking by phone (hashed). */
		resetHash: text('reset_hash'),
		resetExpiresAt: integer('reset_expires_at', { mode: 'timestamp_ms' }),
		/** Set by "lock my account" (or a deactivation): no sign-in until a named contact unlocks. */
		lockedAt: integer('locked_at', { mode: 'timestamp_ms' }),
		/** Partner workers only: the one agency whose referrals they see. */
		agencyId: text('agency_id').references(() => partnerAgencies.id),
		/** Partner workers only: may add and deactivate their own agency's workers. */
		partnerAdmin: integer('partner_admin', { mode: 'boolean' }).notNull().default(false),
		/**
		 * Staff and partner workers who sign in with their organisation's account (OpenID
		 * Connect): the issuer and subject bound at their first such sign-in. The account must
		 * already exist (matched by work email); no one is created by signing in.
		 */
		oidcIssuer: text('oidc_issuer'),
		oidcSubject: text('oidc_subject'),
		createdAt: createdAt()
	},
	(table) => [
		uniqueIndex('users_oidc').on(table.oidcIssuer, table.oidcSubject),
		index('users_agency').on(table.agencyId, table.role),
		// Staff lists (named contacts, supervisors to alert, the admin's list) pick a handful of
		// accounts out of 100,000s of people's: by role, in email order, without reading them all.
		index('users_role').on(table.role, table.email),
		// The sweep's "reset codes past their time" (hourly): the few with one, not every person.
		index('users_reset_expires')
			.on(table.resetExpiresAt)
			.where(sql`reset_expires_at is not null`)
	]
);

/**
 * Server-side sessions: Auth.js's JWT only carries this row's id, so sign-out, lock, deactivation
 * and quick exit end a session at once and a copied cookie stops working (ASVS 5.0 V7). Only
 * SHA-256 hashes of the id and grant are kept, so a copy of the database opens no session.
 */
export const sessions = sqliteTable(
	'sessions',
	{
		idHash: text('id_hash').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id),
		/** Hash of the single-use token that Auth.js's Credentials provider exchanges for the cookie. */
		grantHash: text('grant_hash').unique(),
		createdAt: createdAt(),
		lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }).notNull(),
		/** Staff sessions start here and are only usable once the second factor has been given. */
		secondFactorPending: integer('second_factor_pending', { mode: 'boolean' })
			.notNull()
			.default(false),
		revokedAt: integer('revoked_at', { mode: 'timestamp_ms' })
	},
	// Signing out everywhere, locking an account and deactivating staff end every session of one user.
	(table) => [index('sessions_user').on(table.userId)]
);

/** Failed sign-ins, by account key and by address, for rate limits and lockouts. */
export const signInFailures = sqliteTable(
	'sign_in_failures',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		/** `account:<reference or email>` or `address:<ip>`. */
		key: text('key').notNull(),
		at: integer('at', { mode: 'timestamp_ms' }).notNull()
	},
	(table) => [
		index('sign_in_failures_key_at').on(table.key, table.at),
		// Every failed try forgets the failures older than the window: without this it read every
		// failure still counted, more of them the harder someone guesses.
		index('sign_in_failures_at').on(table.at)
	]
);

/** Who did what, when: every sign-in event and every staff read or change of a case. */
export const auditLog = sqliteTable(
	'audit_log',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		actorId: text('actor_id').references(() => users.id),
		actorRole: text('actor_role'),
		action: text('action').notNull(),
		caseId: text('case_id').references(() => cases.id),
		subjectId: text('subject_id').references(() => users.id),
		/**
		 * What a person must know to judge the action later, in the actor's words: an erasure's
		 * reason, a legal hold's reason, an export's decision on staff notes. Never sealed data.
		 */
		detail: text('detail'),
		at: integer('at', { mode: 'timestamp_ms' })
			.notNull()
			.$defaultFn(() => new Date()),
		/**
		 * The tamper-evident chain (audit/chain.ts): a MAC over this row's fields and the previous
		 * row's `hash`. Null only on rows written before the chain began, until it is completed.
		 */
		hash: text('hash')
	},
	(table) => [
		index('audit_log_case').on(table.caseId, table.at),
		// Retention removes the oldest rows first, by time.
		index('audit_log_at').on(table.at)
	]
);

/**
 * Where the audit chain starts once retention has removed its oldest rows: the `hash` of the
 * last row removed, so the first row kept can still be checked against it. At most one row.
 */
export const auditChainAnchor = sqliteTable('audit_chain_anchor', {
	id: integer('id').primaryKey(),
	/** The id and hash of the last audit row removed. */
	throughId: integer('through_id').notNull(),
	hash: text('hash').notNull(),
	at: integer('at', { mode: 'timestamp_ms' }).notNull()
});

/**
 * A referral in progress, kept on the server for one browser session (never in localStorage):
 * answers sealed, wiped by quick exit, expired after inactivity.
 */
export const referralDrafts = sqliteTable(
	'referral_drafts',
	{
		/** The random token in the draft cookie. */
		id: text('id').primaryKey(),
		answers: sealedJson<Answers>('answers_sealed'),
		passphraseHash: text('passphrase_hash'),
		/** Set once submitted, so a second submit of the same draft finds the first case. */
		caseId: text('case_id').references(() => cases.id, { onDelete: 'set null' }),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull()
	},
	(table) => [
		// Every new draft first deletes the expired ones (drafts.ts): without this, each start read
		// every draft in the table, 15-19 ms at 50,000 (anyone can start drafts), against 0.04 ms.
		index('referral_drafts_expires').on(table.expiresAt),
		// Deleting a case (retention) unlinks its draft: without this, a scan of every draft per case.
		index('referral_drafts_case')
			.on(table.caseId)
			.where(sql`case_id is not null`)
	]
);

export const referralSources = ['self', 'family', 'professional'] as const;
export const referrerKinds = [
	'police',
	'health',
	'school',
	'housing',
	'agency',
	'social_care',
	'other'
] as const;

/** The professional who referred someone: their name, organisation and work contact. */
export interface ProfessionalReferrer {
	name: string;
	organisation: string;
	role: string | null;
	workEmail: string | null;
	workPhone: string | null;
}

/** A referrer's name and, for a friend or family member, the name of the person they act for. */
export interface ReferralNames {
	name: string;
	them: string | null;
}

/** How to reach the person (and what was said of the person acted for), sealed as one value. */
export type ContactDetails = Pick<
	NonNullable<Answers['contact']>,
	'phone' | 'email' | 'safeTimes' | 'alternative'
> & { themContact: string | null };

/**
 * What a person told us when they referred, as they told it: free text sealed, choices plain.
 * What they can change later (safe routes, language, consents) lives on the case.
 */
export const referrals = sqliteTable('referrals', {
	id: id(),
	/** The draft it came from: unique, so a double submit cannot make two referrals. */
	draftId: text('draft_id').notNull().unique(),
	relationship: text('relationship', { enum: ['victim', 'witness', 'family'] }).notNull(),
	/** The person's own account, sealed (AES-256-GCM, key id inside the value). */
	accountSealed: text('account_sealed'),
	/** Names: the referrer's and, for a friend or family member, the person they act for. */
	names: sealedJson<ReferralNames>('names_sealed'),
	/** Phone, email, safe times, a safe alternative contact. */
	contact: sealedJson<ContactDetails>('contact_sealed'),
	crimeReferenceSealed: text('crime_reference_sealed'),
	accessNeedsSealed: text('access_needs_sealed'),
	/** The choices that have no other home, as submitted (no free text): see `ReferralAnswers`. */
	answers: text('answers', { mode: 'json' }).$type<ReferralAnswers>().notNull(),
	/** Who referred: the person themself, a family member or friend, or a professional. */
	source: text('source', { enum: referralSources }).notNull().default('self'),
	/** A professional referral only: what kind of professional (police, GP, school...). */
	referrerKind: text('referrer_kind', { enum: referrerKinds }),
	/** A professional referral only: who they are and how to reach them at work, sealed. */
	referrer: sealedJson<ProfessionalReferrer>('referrer_sealed'),
	/**
	 * A professional referral only: 'yes' when the person agreed to be referred; 'child_at_risk'
	 * is the only way to refer without it. Self and family referrals leave it null.
	 */
	personAgreed: text('person_agreed', { enum: ['yes', 'child_at_risk'] }),
	createdAt: createdAt()
});

export const caseStatuses = ['new', 'in_triage', 'assigned', 'support', 'court', 'closed'] as const;
export const riskLevels = ['standard', 'medium', 'high'] as const;
export const caseOutcomes = [
	'support_completed',
	'support_declined',
	'no_contact',
	'referred_on',
	'other'
] as const;

/** The working record behind a referral: its status, priority and named contact. */
export const cases = sqliteTable(
	'cases',
	{
		id: id(),
		reference: text('reference').notNull().unique(),
		referralId: text('referral_id')
			.notNull()
			.references(() => referrals.id),
		personId: text('person_id')
			.notNull()
			.references(() => users.id),
		caseworkerId: text('caseworker_id').references(() => users.id),
		status: text('status', { enum: caseStatuses }).notNull().default('new'),
		/** Triage priority: 3 urgent, 2 high, 1 standard. */
		priority: integer('priority').notNull(),
		priorityReasons: text('priority_reasons', { mode: 'json' }).$type<string[]>().notNull(),
		/** As the person gave them, here only: the queue filters by them. */
		crimeType: text('crime_type').notNull(),
		policeReported: text('police_reported').notNull(),
		/** The needs found in assessment: first what the person said (kept in `referrals.answers`). */
		needs: text('needs', { mode: 'json' }).$type<string[]>().notNull(),
		/**
		 * The routes the person said are safe: staff, notifications and sign-in links use no other.
		 * This and the columns down to `consentPolice` are the only home of what the person may
		 * change at /my/details; their phone and email are in the referral's sealed `contact`.
		 */
		safeChannels: text('safe_channels', { mode: 'json' }).$type<Channel[]>().notNull(),
		/** Whether a voicemail is safe to leave, and whether we may say who we are ('' unasked). */
		voicemail: text('voicemail', { enum: ['yes', 'no', ''] })
			.notNull()
			.default(''),
		sayWhoWeAre: text('say_who_we_are', { enum: ['yes', 'no', ''] })
			.notNull()
			.default(''),
		/** The language the person asked us to use (a code from the referral's list, or "other"). */
		language: text('language').notNull(),
		interpreter: integer('interpreter', { mode: 'boolean' }).notNull(),
		/** Who referred (from the referral), and for a professional what kind: the queue shows it. */
		source: text('source', { enum: referralSources }).notNull().default('self'),
		referrerKind: text('referrer_kind', { enum: referrerKinds }),
		/**
		 * What the person said at referral about sharing with partner agencies in general. Since
		 * migration 0017 it shares nothing by itself: each agency is asked for separately
		 * (`partner_referrals.consent*`).
		 */
		consentShare: integer('consent_share', { mode: 'boolean' }).notNull(),
		consentPolice: integer('consent_police', { mode: 'boolean' }).notNull(),
		/** When the named contact first reached the person: stops the first-contact clock. */
		firstContactAt: integer('first_contact_at', { mode: 'timestamp_ms' }),
		/**
		 * When first contact is due (`firstContactDue` in cases/clock.ts, from `createdAt` and
		 * `priority`), kept so "overdue" is a query; written when the case is opened.
		 */
		firstContactDueAt: integer('first_contact_due_at', { mode: 'timestamp_ms' }),
		/**
		 * The data key id the case's `case_name_tokens` were computed under; null until they are
		 * (cases/names.ts writes them at opening, on a name change, and after a key rotation).
		 */
		nameIndexKey: text('name_index_key'),
		/** The caseworker's judgement of risk, kept apart from the DASH score. */
		riskLevel: text('risk_level', { enum: riskLevels }),
		/** The latest DASH checklist: how many "yes" answers, and which (sealed). Internal only. */
		dashScore: integer('dash_score'),
		dash: sealedJson<string[]>('dash_sealed'),
		dashAt: integer('dash_at', { mode: 'timestamp_ms' }),
		/** Set when the case is closed; the record is read-only from then on. */
		outcome: text('outcome', { enum: caseOutcomes }),
		/** The court-day checklist items the person has ticked in their portal. */
		courtChecklist: text('court_checklist', { mode: 'json' })
			.$type<string[]>()
			.notNull()
			.default([]),
		closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
		/**
		 * A legal hold (litigation, a police or court request): while set, the case is neither
		 * anonymised by retention nor erased on request. The reason is in clear (staff words only).
		 */
		legalHoldReason: text('legal_hold_reason'),
		legalHoldAt: integer('legal_hold_at', { mode: 'timestamp_ms' }),
		legalHoldBy: text('legal_hold_by').references(() => users.id),
		/**
		 * Set when the case was anonymised (retention, or erasure on request): its sealed fields,
		 * messages and names are gone; the row stays, with its counts, for reports.
		 */
		anonymisedAt: integer('anonymised_at', { mode: 'timestamp_ms' }),
		/**
		 * Set when the case was erased on the person's request (it is anonymised too). Kept so the
		 * erasure ledger beside the backups (lifecycle/erasures.ts) can be completed from the
		 * database, and an erasure made after a backup re-applied when that backup is restored.
		 */
		erasedAt: integer('erased_at', { mode: 'timestamp_ms' }),
		createdAt: createdAt(),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
			.notNull()
			.$defaultFn(() => new Date())
	},
	(table) => [
		// The signed-in person's own case, on every portal request.
		index('cases_person').on(table.personId),
		// The case a referral made: a professional's form sent twice finds the first one's.
		index('cases_referral').on(table.referralId),
		// A caseworker's caseload, and each caseload's open count on the supervisor's page.
		index('cases_caseworker').on(table.caseworkerId, table.status),
		// The queue's order (cases/queue.ts): most urgent, then oldest, then id, for keyset pages;
		// open cases (the default queue) and open unassigned ones in their own, each status in another.
		index('cases_queue_open')
			.on(sql`priority desc`, table.createdAt, table.id)
			.where(sql`status <> 'closed'`),
		index('cases_queue_unassigned')
			.on(sql`priority desc`, table.createdAt, table.id)
			.where(sql`status <> 'closed' and coalesce(caseworker_id, '') = ''`),
		index('cases_queue_status').on(table.status, sql`priority desc`, table.createdAt, table.id),
		// Overdue first contacts: open, not yet contacted, by when they were due.
		index('cases_first_contact_due')
			.on(table.firstContactDueAt)
			.where(sql`status <> 'closed' and first_contact_at is null`),
		// The cases whose name index is missing or under a retired key, and those with no due
		// date yet (cases/names.ts completes both): found without reading every case.
		index('cases_name_index_key').on(table.nameIndexKey),
		index('cases_due_missing')
			.on(table.id)
			.where(sql`first_contact_due_at is null`),
		// A name search finds a few hundred or thousand case ids; each is checked against the
		// queue's filter and placed in its order from this index alone, without reading the row.
		index('cases_id_queue').on(table.id, table.status, table.priority, table.createdAt),
		// Retention: closed cases not yet anonymised, by when they closed.
		index('cases_retention')
			.on(table.closedAt)
			.where(sql`status = 'closed' and anonymised_at is null`),
		// Reports (reports/index.ts): every count reads this narrow index, never the table (at
		// 100,000 cases a GROUP BY over the table takes 150 ms). Opening time leads, so a month is
		// a range, and so the queue, which never filters on it, cannot mistake it for a crime type
		// or outcome index (one on crime type alone made the open queue's filter sort every case of
		// that type instead of walking `cases_queue_open`).
		index('cases_report').on(table.createdAt, table.crimeType, table.outcome),
		index('cases_anonymised')
			.on(table.anonymisedAt)
			.where(sql`anonymised_at is not null`),
		index('cases_legal_hold')
			.on(table.legalHoldAt)
			.where(sql`legal_hold_at is not null`),
		index('cases_erased')
			.on(table.erasedAt)
			.where(sql`erased_at is not null`)
	]
);

/**
 * The blind index of the names on a case (cases/names.ts): one row per normalised name token,
 * HMAC-SHA256 under a key derived from the data key, so a name search finds its cases without
 * opening any sealed name.
 */
export const caseNameTokens = sqliteTable(
	'case_name_tokens',
	{
		token: text('token').notNull(),
		caseId: text('case_id')
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' })
	},
	(table) => [
		primaryKey({ columns: [table.token, table.caseId] }),
		index('case_name_tokens_case').on(table.caseId)
	]
);

/** The case timeline; each event is visible to the person or internal to staff. */
export const caseEvents = sqliteTable(
	'case_events',
	{
		id: id(),
		caseId: text('case_id')
			.notNull()
			.references(() => cases.id),
		/** A translation key under `timeline.`, rendered in the reader's language. */
		kind: text('kind').notNull(),
		visibleToPerson: integer('visible_to_person', { mode: 'boolean' }).notNull(),
		params: text('params', { mode: 'json' }).$type<Record<string, string>>(),
		actorId: text('actor_id').references(() => users.id),
		createdAt: createdAt()
	},
	(table) => [index('case_events_case').on(table.caseId, table.createdAt)]
);

/** Agencies a caseworker can refer a person to; seeded, and kept if an admin changes them. */
export const partnerAgencies = sqliteTable('partner_agencies', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	/** What they do, in one plain sentence (English; people see a translated one). */
	does: text('does').notNull(),
	helpsWith: text('helps_with', { mode: 'json' }).$type<string[]>().notNull(),
	active: integer('active', { mode: 'boolean' }).notNull().default(true),
	/**
	 * The agency's shared inbox for notices ("a referral is waiting at /partner"). Notices carry
	 * no personal detail, like every other notification. Null: its workers are told only in /partner.
	 */
	inboxEmail: text('inbox_email')
});

/**
 * Where a referral to a partner agency stands:
 * - `proposed`: a caseworker proposed it; the person has not yet answered (nothing is shared);
 * - `refused`: the person said no (nothing was shared);
 * - `sent`: the person agreed (or sharing without consent was justified); the agency can open it;
 * - `accepted`, `declined`, `closed`: the agency's answer and its end;
 * - `withdrawn`: the person withdrew consent; the agency can no longer open it.
 */
export const partnerReferralStatuses = [
	'proposed',
	'refused',
	'sent',
	'accepted',
	'declined',
	'closed',
	'withdrawn',
	/** Still waiting for the person's answer when the case closed: never sent. */
	'cancelled'
] as const;
/** How sharing with one agency was allowed. */
export const consentBases = ['portal', 'recorded', 'override'] as const;
/** The only grounds for sharing without the person's consent (each with a written reason). */
export const overrideBases = ['marac', 'child_at_risk'] as const;

/** A referral on to a partner agency: only with the person's consent to share, per agency. */
export const partnerReferrals = sqliteTable(
	'partner_referrals',
	{
		// Random: the agency sees this id in its addresses, and a time in it would say when our
		// caseworker proposed the referral, so how long the person took to agree.
		id: randomId(),
		caseId: text('case_id')
			.notNull()
			.references(() => cases.id),
		agencyId: text('agency_id')
			.notNull()
			.references(() => partnerAgencies.id),
		/** Why we are referring, sealed: it usually repeats what the person told us. */
		reasonSealed: text('reason_sealed').notNull(),
		/**
		 * What the agency will see, sealed: the summary the caseworker wrote and the person was
		 * shown when asked. The agency sees this and nothing else of the case. Null on rows made
		 * before migration 0017 (those were sent under the old single consent).
		 */
		summarySealed: text('summary_sealed'),
		status: text('status', { enum: partnerReferralStatuses }).notNull().default('proposed'),
		/** How sharing was allowed (null while proposed or refused). */
		consentBasis: text('consent_basis', { enum: consentBases }),
		/** A recorded consent: how and when the person agreed, in the caseworker's words, sealed. */
		consentNoteSealed: text('consent_note_sealed'),
		consentAt: integer('consent_at', { mode: 'timestamp_ms' }),
		consentBy: text('consent_by').references(() => users.id),
		/** Sharing without consent: the legal ground and the written reason (sealed). */
		overrideBasis: text('override_basis', { enum: overrideBases }),
		overrideReasonSealed: text('override_reason_sealed'),
		/** When the agency was first able to open it. */
		sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
		/** The agency's side: who answered, the worker the person is told of, why declined, the outcome. */
		partnerUserId: text('partner_user_id').references(() => users.id),
		partnerWorkerSealed: text('partner_worker_sealed'),
		declineReasonSealed: text('decline_reason_sealed'),
		outcome: text('outcome'),
		withdrawnAt: integer('withdrawn_at', { mode: 'timestamp_ms' }),
		actorId: text('actor_id').references(() => users.id),
		createdAt: createdAt(),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
			.notNull()
			.$defaultFn(() => new Date())
	},
	(table) => [
		index('partner_referrals_case').on(table.caseId),
		// A partner worker's list: their agency's referrals, newest change first.
		index('partner_referrals_agency').on(table.agencyId, table.status, table.updatedAt),
		// Supervisors' list of sharing without consent.
		index('partner_referrals_override')
			.on(table.consentAt)
			.where(sql`consent_basis = 'override'`)
	]
);

/**
 * The secure conversation on one partner referral, between our caseworkers and the agency's
 * workers (the person is not part of it). Sealed like every message; reading it is audited.
 */
export const partnerMessages = sqliteTable(
	'partner_messages',
	{
		id: id(),
		partnerReferralId: text('partner_referral_id')
			.notNull()
			.references(() => partnerReferrals.id),
		side: text('side', { enum: ['staff', 'partner'] }).notNull(),
		authorId: text('author_id')
			.notNull()
			.references(() => users.id),
		bodySealed: text('body_sealed').notNull(),
		readAt: integer('read_at', { mode: 'timestamp_ms' }),
		createdAt: createdAt()
	},
	(table) => [
		index('partner_messages_referral').on(table.partnerReferralId, table.createdAt),
		// A worker's messages in the last minute, counted before each one they send.
		index('partner_messages_author').on(table.authorId, table.createdAt)
	]
);

/**
 * Organisations whose staff or partner workers may sign in with their own work account (OpenID
 * Connect). Our own staff's organisation has no agency; a partner agency's has its agency id, and
 * only that agency's workers may sign in through it.
 */
export const signInOrganisations = sqliteTable('sign_in_organisations', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	issuer: text('issuer').notNull(),
	clientId: text('client_id').notNull(),
	clientSecretSealed: text('client_secret_sealed'),
	/** Work email domains it vouches for, lower case: an account's email must be in one. */
	emailDomains: text('email_domains', { mode: 'json' }).$type<string[]>().notNull(),
	agencyId: text('agency_id').references(() => partnerAgencies.id),
	active: integer('active', { mode: 'boolean' }).notNull().default(true),
	createdAt: createdAt()
});

/** London's Crown Court centres and magistrates' courts, seeded. */
export const courts = sqliteTable('courts', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	kind: text('kind', { enum: ['crown', 'magistrates'] }).notNull(),
	address: text('address').notNull(),
	travel: text('travel').notNull()
});

export const hearingTypes = [
	'trial',
	'plea',
	'sentencing',
	'preliminary',
	'appeal',
	'other'
] as const;

/** A court date on a case; the person sees it in their portal. */
export const courtHearings = sqliteTable(
	'court_hearings',
	{
		id: id(),
		caseId: text('case_id')
			.notNull()
			.references(() => cases.id),
		courtId: text('court_id')
			.notNull()
			.references(() => courts.id),
		startsAt: integer('starts_at', { mode: 'timestamp_ms' }).notNull(),
		type: text('type', { enum: hearingTypes }).notNull(),
		actorId: text('actor_id').references(() => users.id),
		createdAt: createdAt()
	},
	(table) => [index('court_hearings_case').on(table.caseId, table.startsAt)]
);

/** One conversation per case between the person and their named contact (or who covers). */
export const messages = sqliteTable(
	'messages',
	{
		id: id(),
		caseId: text('case_id')
			.notNull()
			.references(() => cases.id),
		/** Which side wrote it: the person, or staff (the author says who). */
		side: text('side', { enum: ['person', 'staff'] }).notNull(),
		authorId: text('author_id')
			.notNull()
			.references(() => users.id),
		/** The text, sealed (AES-256-GCM): DESIGN rule 5. */
		bodySealed: text('body_sealed').notNull(),
		/** When the other side first read it. */
		readAt: integer('read_at', { mode: 'timestamp_ms' }),
		createdAt: createdAt()
	},
	(table) => [
		index('messages_case').on(table.caseId, table.createdAt),
		index('messages_author').on(table.authorId, table.createdAt)
	]
);

/**
 * What a witness asks for from their court page: a pre-trial visit or special measures. Each is
 * a task on the case in the console until staff mark it done.
 */
export const courtRequests = sqliteTable(
	'court_requests',
	{
		id: id(),
		caseId: text('case_id')
			.notNull()
			.references(() => cases.id),
		kind: text('kind', { enum: ['visit', 'special_measures'] }).notNull(),
		/** The details they gave (dates, access needs, who will come; measures asked about), sealed. */
		details: sealedJson<Record<string, string | string[]>>('details_sealed').notNull(),
		doneAt: integer('done_at', { mode: 'timestamp_ms' }),
		doneBy: text('done_by').references(() => users.id),
		createdAt: createdAt()
	},
	(table) => [index('court_requests_case').on(table.caseId)]
);

/** Notifications waiting to be sent; a worker sends them by a safe route, with retries. */
export const outbox = sqliteTable(
	'outbox',
	{
		id: id(),
		kind: text('kind').notNull(),
		audience: text('audience', { enum: ['staff', 'person'] }).notNull(),
		caseId: text('case_id').references(() => cases.id),
		status: text('status', { enum: ['pending', 'sent', 'failed'] })
			.notNull()
			.default('pending'),
		attempts: integer('attempts').notNull().default(0),
		/** How it went out (email, text, portal only, log) once sent; why the last try failed. */
		channel: text('channel'),
		lastError: text('last_error'),
		/**
		 * A message fixed when it was queued (a sign-in link, a notice to an old address), sealed:
		 * `{ channel, to, subject, text }`. Cleared once sent, so no link outlives its sending.
		 */
		payload: sealedJson<FixedMessage>('payload_sealed'),
		sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
		nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' })
			.notNull()
			.$defaultFn(() => new Date()),
		createdAt: createdAt()
	},
	(table) => [
		// The sender's query every few seconds: what is pending and due (finished rows pile up).
		index('outbox_due').on(table.status, table.nextAttemptAt),
		// A case's own notices: whether one "something new" still waits to go (every change to a
		// case asks), and deleting them when the case is anonymised. Without it both read every
		// pending row, or every row: 1.8 ms a change with 20,000 notices waiting (a mail outage),
		// and building the bench's 100,000 cases slowed from 2 1/2 minutes to over 15.
		index('outbox_case').on(table.caseId, table.kind)
	]
);

/**
 * Sign-in and reset links sent to a person's safe email: valid 10 minutes, used once, and only
 * in the browser that asked (its cookie's hash must match).
 */
export const emailLinks = sqliteTable('email_links', {
	id: id(),
	userId: text('user_id')
		.notNull()
		.references(() => users.id),
	purpose: text('purpose', { enum: ['sign_in', 'reset'] }).notNull(),
	tokenHash: text('token_hash').notNull().unique(),
	browserHash: text('browser_hash').notNull(),
	expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
	usedAt: integer('used_at', { mode: 'timestamp_ms' }),
	createdAt: createdAt()
});
