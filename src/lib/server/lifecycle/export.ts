import { and, desc, eq, gte } from 'drizzle-orm';
import * as v from 'valibot';
import { formatWhen } from '$lib/format';
import type { Translate } from '$lib/i18n';
import type { Locale } from '$lib/i18n/locales';
import { answerRows } from '$lib/referral/answer-rows';
import { referredBy } from '$lib/referral/referred-by';
import { stepsFor, type Answers } from '$lib/referral/steps';
import * as audit from '$lib/server/audit';
import type { Actor, CaseRow } from '$lib/server/cases/access';
import { dashQuestions } from '$lib/server/cases/dash';
import * as person from '$lib/server/cases/person';
import * as record from '$lib/server/cases/record';
import * as court from '$lib/server/court';
import { database } from '$lib/server/db';
import { auditLog, cases } from '$lib/server/db/schema';
import { fixedT } from '$lib/server/i18n';
import * as messages from '$lib/server/messages';
import * as partners from '$lib/server/partners';
import * as partnerConversation from '$lib/server/partners/conversation';

// A subject access request (UK GDPR Art. 15): everything held about the person on one case, for
// a supervisor to give them. Staff notes and assessments are included or withheld by a decision
// the supervisor records, with a reason, in the audit trail before anything is produced.

const e = (key: string) => `staff.export.errors.${key}`;

/** The longest reason for a decision: a sentence or two, in staff words. */
export const reasonMaxLength = 500;

/** The export form: the decision on staff notes and assessments, why, and the format. */
export const exportForm = v.object({
	staffNotes: v.picklist(['include', 'withhold'], e('staffNotes')),
	reason: v.pipe(
		v.string(e('reason')),
		v.trim(),
		v.nonEmpty(e('reason')),
		v.maxLength(reasonMaxLength, e('reasonTooLong'))
	),
	format: v.picklist(['html', 'json'], e('format'))
});

/** The decision a supervisor records before an export is produced. */
export type Decision = v.InferOutput<typeof exportForm>;

/** A question and the answer held, as lines (a list answer has one line per item). */
export interface Answer {
	question: string;
	answer: string[];
	/** The answer's language when it is a language named in itself. */
	lang?: string;
}

/** A labelled fact about the case. */
export interface Fact {
	label: string;
	value: string;
}

/** Everything held about the person on one case, in words they can read. Dates are moments. */
export interface SubjectAccessExport {
	reference: string;
	producedAt: Date;
	/** Whether staff notes and assessments are in this export, as the decision said. */
	staffNotes: 'included' | 'withheld';
	/** The referral's questions, in the words the person was asked, with the answers held now. */
	answers: Answer[];
	/** Status, dates and the named contact. */
	facts: Fact[];
	/** Everything that happened on the case, oldest first (assessments only if included). */
	timeline: { at: Date; by: string; text: string; seenByPerson: boolean }[];
	/** Every message, oldest first. */
	messages: { at: Date; from: string; text: string; read: boolean }[];
	partnerReferrals: {
		at: Date;
		agency: string;
		does: string;
		status: string;
		/** When it was sent to the agency (null if never), and when consent was withdrawn. */
		sentAt: Date | null;
		withdrawnAt: Date | null;
		reason: string;
		/** What the agency was given: the summary the person was shown when asked. */
		shared: string;
		/** How sharing was allowed (and, when notes are included, why without consent). */
		consent: string;
		/** The agency's worker, and why the agency could not help, when it said. */
		worker: string;
		declineReason: string;
		/** How the agency closed it, when it has. */
		outcome: string;
		updatedAt: Date;
		/** What our staff and the agency's workers wrote to each other about it, oldest first. */
		conversation: { at: Date; from: string; text: string }[];
	}[];
	hearings: { at: Date; kind: string; court: string; address: string }[];
	courtRequests: { at: Date; kind: string; status: string; details: Fact[] }[];
	/** The court-day checklist items the person ticked. */
	courtChecklist: string[];
	/** Every time staff opened, changed or exported the record: when, who, their role, what. */
	access: { at: Date; who: string; role: string; what: string }[];
	/** Staff notes and assessments; null when the decision withheld them. */
	assessment: {
		facts: Fact[];
		dashYes: string[];
		notes: { at: Date; by: string; text: string }[];
	} | null;
}

// Timeline events that hold an assessment, a note or another staff judgement (a legal hold's
// reason: a police or court request): withheld with them.
const assessmentEvents = new Set([
	'note',
	'needs_updated',
	'dash_recorded',
	'dash_marac',
	'legal_hold_set',
	'legal_hold_lifted'
]);

/**
 * Whether a timeline event is withheld with the notes: an assessment, or something about
 * partner referrals the person was never shown (an agency's answers to one shared without their
 * consent). That such sharing happened, and on which ground, is always given.
 */
function withheldEvent(event: { kind: string; visibleToPerson: boolean }): boolean {
	if (assessmentEvents.has(event.kind)) return true;
	return (
		event.kind.startsWith('partner_') &&
		!event.visibleToPerson &&
		event.kind !== 'partner_shared_without_consent'
	);
}
// Audit actions that would say an assessment or a note exists: "changed the record" when withheld.
const assessmentActions = new Set(['note_added', 'needs_updated', 'dash_recorded']);

/** The referral as the person gave it (and as they have since changed it), as `Answers`. */
function answersHeld(details: record.CaseDetails): Answers {
	const a = details.answers;
	return {
		safeNow: a.safeNow,
		who: details.relationship,
		...(details.relationship === 'family'
			? {
					them: {
						name: details.names.them ?? '',
						contact: details.contact.themContact ?? '',
						knows: a.themKnows ?? 'unsure'
					}
				}
			: {}),
		happened: {
			crimeType: details.crimeType as NonNullable<Answers['happened']>['crimeType'],
			when: a.when,
			date: a.date
		},
		account: { account: details.account },
		police: {
			police: details.policeReported as NonNullable<Answers['police']>['police'],
			crimeReference: details.crimeReference
		},
		needs: { needs: a.needs, childAtRisk: a.childAtRisk },
		contact: {
			channels: details.safeChannels,
			name: details.names.name,
			phone: details.contact.phone,
			email: details.contact.email,
			voicemail: details.voicemail,
			sayWhoWeAre: details.sayWhoWeAre,
			safeTimes: details.contact.safeTimes,
			alternative: details.contact.alternative
		},
		language: {
			language: details.language,
			interpreter: details.interpreter ? 'yes' : 'no',
			accessNeeds: details.accessNeeds
		},
		consent: { share: details.consentShare, police: details.consentPolice }
	};
}

/** A timeline event in words, as the console's timeline shows it. */
function eventText(t: Translate, lang: Locale, kind: string, given: Record<string, string>) {
	if (kind === 'note') return given.text ?? '';
	const p = { ...given };
	if (p.role) p.role = t(`staff.roles.${p.role}`);
	if (p.outcome) p.outcome = t(`staff.outcomes.${p.outcome}`);
	if (p.channel) p.channel = t(`staff.channels.${p.channel}`);
	if (p.riskLevel) p.riskLevel = t(`staff.risk.${p.riskLevel}`);
	if (p.type) p.type = t(`staff.hearingTypes.${p.type}`);
	if (p.date) p.date = formatWhen(lang, new Date(p.date));
	if (p.part) p.part = t(`staff.events.parts.${p.part}`);
	if (p.needs)
		p.needs = p.needs
			.split(',')
			.map((n) => t(`staff.needs.${n}`))
			.join(', ');
	return t(`staff.events.${kind}`, p);
}

/** How sharing with one agency was allowed, in words for the person; withdrawal after it. */
function consentText(
	t: Translate,
	lang: Locale,
	referral: ReturnType<typeof partners.forCase>[number],
	include: boolean
): string {
	const date = (at: Date | null) => (at ? formatWhen(lang, at) : '');
	const d = 'staff.export.document';
	const how =
		referral.consentBasis === 'portal'
			? t(`${d}.consentPortal`, { date: date(referral.consentAt) })
			: referral.consentBasis === 'recorded'
				? t(`${d}.consentRecorded`, {
						date: date(referral.consentAt),
						note: referral.consentNote
					})
				: referral.consentBasis === 'override'
					? [
							t(`${d}.consentOverride`, {
								date: date(referral.consentAt),
								basis: t(`staff.sharing.bases.${referral.overrideBasis ?? 'marac'}`)
							}),
							// The ground is always given: the privacy notice promises that sharing without
							// asking is only on these grounds and that why is written down (privacy.md). The
							// written reason is a staff judgement that can name others (a child's
							// disclosure): it goes with the notes and assessments, under the supervisor's
							// recorded decision, or not at all.
							...(include && referral.overrideReason
								? [t(`${d}.overrideReason`, { reason: referral.overrideReason })]
								: [])
						].join(' ')
					: referral.sentAt
						? t(`${d}.consentBefore`)
						: '';
	const withdrawn = referral.withdrawnAt
		? t(`${d}.withdrawn`, { date: date(referral.withdrawnAt) })
		: '';
	return [how, withdrawn].filter(Boolean).join(' ');
}

/**
 * Gathers everything held about the person on this case, in words (English today: the staff
 * console's language). Reads this case only; staff notes and assessments only when `include`.
 */
export function gather(
	row: CaseRow,
	include: boolean,
	now = new Date(),
	lang: Locale = 'en'
): SubjectAccessExport {
	const t = fixedT(lang);
	const details = record.details(row);
	const answers = answersHeld(details);
	const journey = stepsFor(answers).filter((step) => step !== 'passphrase');
	const contact = person.namedContact(row);
	const when = (at: Date | null) => (at ? formatWhen(lang, at) : t('staff.export.notYet'));

	const facts: Fact[] = [
		{ label: t('staff.export.facts.reference'), value: row.reference },
		{ label: t('staff.cases.status'), value: t(`staff.status.${row.status}`) },
		{ label: t('staff.export.facts.opened'), value: when(row.createdAt) },
		{ label: t('staff.export.facts.firstContact'), value: when(row.firstContactAt) },
		{
			label: t('staff.cases.namedContact'),
			value: contact
				? `${contact.name} (${t(`staff.roles.${contact.role}`)})`
				: t('staff.cases.unassigned')
		},
		{
			label: t('staff.cases.priority'),
			value: [
				t(`staff.priority.${row.priority}`),
				...row.priorityReasons.map((r) => t(`staff.priorityReasons.${r}`))
			].join(', ')
		}
	];
	facts.push({
		label: t('staff.cases.source'),
		value: referredBy(t, details.source, details.referrerKind)
	});
	// A professional's referral: who they are and how they are reached at work, as they gave it.
	if (details.referrer) {
		const { name, role, organisation, workEmail, workPhone } = details.referrer;
		facts.push(
			{
				label: t('staff.story.referrer'),
				value: [name, role, organisation].filter(Boolean).join(', ')
			},
			{
				label: t('staff.story.referrerContact'),
				value: [workEmail, workPhone].filter(Boolean).join(', ')
			},
			{
				label: t('staff.story.personAgreed'),
				value: t(`staff.story.agreed.${details.personAgreed ?? 'yes'}`)
			}
		);
	}
	if (row.closedAt) {
		facts.push({ label: t('staff.export.facts.closed'), value: when(row.closedAt) });
		facts.push({
			label: t('staff.export.facts.outcome'),
			value: t(`staff.outcomes.${row.outcome ?? 'other'}`)
		});
	}

	const events = record.timeline(row.id).reverse();
	const timeline = events
		// Notes have their own place, with the assessments.
		.filter((event) => event.kind !== 'note' && (include || !withheldEvent(event)))
		.map((event) => ({
			at: event.at,
			by: event.by,
			text: eventText(t, lang, event.kind, event.params),
			seenByPerson: event.visibleToPerson
		}));

	const assessment = include
		? {
				facts: [
					{
						label: t('staff.case.riskLevel'),
						value: row.riskLevel ? t(`staff.risk.${row.riskLevel}`) : t('staff.case.notAssessed')
					},
					{
						label: t('staff.assessment.needs'),
						value: row.needs.map((n) => t(`staff.needs.${n}`)).join(', ')
					},
					{
						label: t('staff.export.dashScore'),
						value:
							row.dashScore === null
								? t('staff.case.notAssessed')
								: t('staff.export.dashScoreValue', {
										score: row.dashScore,
										count: dashQuestions.length,
										date: when(row.dashAt)
									})
					}
				],
				dashYes: record.dashAnswers(row).map((q) => t(`staff.dash.${q}`)),
				notes: events
					.filter((event) => event.kind === 'note')
					.map((event) => ({ at: event.at, by: event.by, text: event.params.text ?? '' }))
			}
		: null;

	/** What our staff and the agency's workers wrote to each other about a referral. */
	const conversationOf = (referral: { id: string; agency: string }) =>
		partnerConversation.whole(referral.id).map((message) => ({
			at: message.at,
			from:
				message.side === 'partner'
					? [message.author, referral.agency].filter(Boolean).join(', ')
					: message.author || t('staff.export.fromStaff'),
			text: message.text
		}));

	return {
		reference: row.reference,
		producedAt: now,
		staffNotes: include ? 'included' : 'withheld',
		answers: answerRows(t, answers, journey, false)
			.filter((line) => line.answer.length > 0)
			.map(({ question, answer, lang }) => ({ question, answer, ...(lang ? { lang } : {}) })),
		facts,
		timeline,
		messages: messages.conversation(row.id).map((message) => ({
			at: message.at,
			from:
				message.side === 'person'
					? t('staff.export.fromPerson')
					: message.author || t('staff.export.fromStaff'),
			text: message.text,
			read: message.read
		})),
		partnerReferrals: partners
			.forCase(row.id)
			.reverse()
			.map((referral) => {
				// Shared without the person's consent: their named contact decides when telling them
				// is safe, and the supervisor withheld it. The agency, the ground and the dates stay;
				// what was sent, why, and what the agency and our staff said about it go with the notes.
				const hidden = !include && referral.consentBasis === 'override';
				return {
					at: referral.createdAt,
					agency: referral.agency,
					does: referral.does,
					status: t(`staff.partnerStatus.${referral.status}`),
					reason: hidden ? '' : referral.reason,
					shared: hidden ? '' : referral.summary,
					consent: consentText(t, lang, referral, include),
					sentAt: referral.sentAt,
					withdrawnAt: referral.withdrawnAt,
					worker: hidden ? '' : referral.partnerWorker,
					declineReason: hidden ? '' : referral.declineReason,
					outcome:
						referral.outcome && !hidden ? t(`staff.partnerArea.outcomes.${referral.outcome}`) : '',
					updatedAt: referral.updatedAt,
					conversation: hidden ? [] : conversationOf(referral)
				};
			}),
		hearings: court.hearingsFor(row.id).map((hearing) => ({
			at: hearing.startsAt,
			kind: t(`staff.hearingTypes.${hearing.type}`),
			court: hearing.court,
			address: hearing.address
		})),
		courtRequests: court
			.requestsFor(row.id)
			.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
			.map((request) => ({
				at: request.createdAt,
				kind: t(`staff.court.kinds.${request.kind}`),
				status: request.done ? t('staff.court.doneLabel') : t('staff.court.openLabel'),
				details: Object.entries(request.details)
					.filter(([, value]) => (Array.isArray(value) ? value.length > 0 : value))
					.map(([field, value]) => ({
						label: t(`staff.court.fields.${field}`),
						value: Array.isArray(value)
							? value.map((m) => t(`staff.court.measureNames.${m}`)).join(', ')
							: value
					}))
			})),
		courtChecklist: row.courtChecklist.map((item) => t(`my.court.checklist.${item}`)),
		access: audit
			.forCase(row.id)
			// An agency's workers' reads of its summary go with the notes: one may be of an agency
			// the case was shared with without consent (the agencies are in the partner referrals).
			.filter(
				(entry) => entry.role && entry.role !== 'person' && (include || entry.role !== 'partner')
			)
			.reverse()
			.map((entry) => ({
				at: entry.at,
				who: entry.who ?? '',
				role: t(`staff.audit.roles.${entry.role}`),
				what:
					!include && assessmentActions.has(entry.action)
						? t('staff.export.document.changed')
						: t(`staff.audit.actions.${entry.action}`)
			})),
		assessment
	};
}

/** What the audit row of an export says: the decision and its reason, never personal data. */
function detailOf(decision: Decision): string {
	return JSON.stringify({
		staffNotes: decision.staffNotes === 'include' ? 'included' : 'withheld',
		reason: decision.reason,
		format: decision.format
	});
}

/**
 * Records a supervisor's decision in the audit trail and produces the export it allows, together:
 * nothing is produced without its `data_exported` row, and the export lists that row itself.
 * Answers the export and the audit row's id (which the JSON download is fetched by).
 */
export function produce(actor: Actor, row: CaseRow, decision: Decision, now = new Date()) {
	return database().transaction((tx) => {
		// The case as it is now: `row` was read before the form's body arrived, and retention may
		// have anonymised it since (its DASH answers and checklist must not come from the old copy).
		const current = tx.select().from(cases).where(eq(cases.id, row.id)).get() ?? row;
		audit.record(
			'data_exported',
			{ id: actor.userId, role: actor.role },
			{ caseId: row.id, detail: detailOf(decision) },
			tx
		);
		const decisionId = tx
			.select({ id: auditLog.id })
			.from(auditLog)
			.where(and(eq(auditLog.caseId, row.id), eq(auditLog.action, 'data_exported')))
			.orderBy(desc(auditLog.id))
			.limit(1)
			.get()!.id;
		return { decisionId, export: gather(current, decision.staffNotes === 'include', now) };
	});
}

/**
 * The JSON file fetched under a decision (`decisionFor`), each copy with an audit row of its own
 * naming the decision: within its two minutes a file may be fetched again (a failed download, a
 * second click), and every copy made is in the trail. Null, and nothing recorded, when refused.
 */
export function download(
	actor: Actor,
	row: CaseRow,
	decisionId: number,
	now = new Date()
): SubjectAccessExport | null {
	return database().transaction((tx) => {
		const decision = decisionFor(actor, row, decisionId, now);
		if (!decision) return null;
		audit.record(
			'data_export_downloaded',
			{ id: actor.userId, role: actor.role },
			{ caseId: row.id, detail: JSON.stringify({ decision: decisionId }) },
			tx
		);
		return gather(row, decision.include, now);
	});
}

/** How long after a decision its JSON file may be fetched: long enough to follow a redirect. */
export const downloadWindowMs = 2 * 60_000;

/**
 * The decision a JSON download is fetched under: a `data_exported` row for a JSON export of this
 * case, recorded by this staff member within the last two minutes; otherwise null.
 */
export function decisionFor(
	actor: Actor,
	row: Pick<CaseRow, 'id'>,
	decisionId: number,
	now = new Date()
): { include: boolean } | null {
	if (!Number.isSafeInteger(decisionId) || decisionId < 1) return null;
	const entry = database()
		.select({ detail: auditLog.detail, at: auditLog.at })
		.from(auditLog)
		.where(
			and(
				eq(auditLog.id, decisionId),
				eq(auditLog.caseId, row.id),
				eq(auditLog.actorId, actor.userId),
				eq(auditLog.action, 'data_exported'),
				gte(auditLog.at, new Date(now.getTime() - downloadWindowMs))
			)
		)
		.get();
	if (!entry?.detail || entry.at.getTime() > now.getTime()) return null;
	try {
		const detail = JSON.parse(entry.detail) as { staffNotes?: string; format?: string };
		if (detail.format !== 'json') return null;
		return { include: detail.staffNotes === 'included' };
	} catch {
		return null;
	}
}

/** The export as a JSON file's text: the same content as the printable page. */
export function asJson(produced: SubjectAccessExport): string {
	return JSON.stringify(produced, null, 2);
}

/** London's calendar day (en-CA writes YYYY-MM-DD), whatever the server's zone. */
const londonDay = new Intl.DateTimeFormat('en-CA', {
	timeZone: 'Europe/London',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit'
});

/**
 * The download's file name: the reference and the day it was produced on London's calendar (at
 * 00:30 in summer that is already the new day, though not yet in UTC), nothing else about the
 * person.
 */
export function fileName(produced: SubjectAccessExport): string {
	return `onedoor-${produced.reference}-${londonDay.format(produced.producedAt)}.json`;
}
