import { eq } from 'drizzle-orm';
import type * as v from 'valibot';
import { stepOf, stepsFor, type StepSlug } from '$lib/referral/steps';
import { hashSecret } from '$lib/server/auth/passwords';
import { firstContactDue, targetDays } from '$lib/server/cases/clock';
import { openCase } from '$lib/server/cases/command';
import { seal } from '$lib/server/crypto';
import { database, durably } from '$lib/server/db';
import { cases, referralDrafts, referrals, users } from '$lib/server/db/schema';
import * as drafts from './drafts';
import { triagePriority } from './priority';
import type { Answers, stepSchemas } from './schemas';

export { drafts };

/** One step's answers, as its schema (`stepSchemas`) checked and shaped them. */
export type StepAnswers<S extends StepSlug = StepSlug> = v.InferOutput<(typeof stepSchemas)[S]>;

// `startedDraft`: the token of a draft this step started, for the caller to hand the browser.
type StepResult = {
	answers: Answers;
	startedDraft: string | undefined;
	/** The browser's earlier draft had been deleted (an hour unused): only this step is kept. */
	lost: boolean;
};

/** The values a step's form shows: what the draft holds for it, never the passphrase. */
export function stepValues(answers: Answers, step: StepSlug): Record<string, unknown> {
	const { key } = stepOf(step);
	if (!key) return {};
	const value = answers[key];
	if (value === undefined) return {};
	if (typeof value === 'string') return { [key]: value };
	if (key === 'consent') {
		const consent = value as NonNullable<Answers['consent']>;
		return { share: consent.share ? 'yes' : '', police: consent.police ? 'yes' : '' };
	}
	return value as Record<string, unknown>;
}

/**
 * Saves one step's checked answers to the draft with this token (starting a draft when there is
 * none, or when it was already sent).
 */
export async function saveStep<S extends StepSlug>(
	draftToken: string | undefined,
	step: S,
	stepAnswers: StepAnswers<S>
): Promise<StepResult> {
	const { draft, started, lost } = drafts.findOrStart(draftToken);
	const answers = drafts.answersOf(draft);
	const { key, ...shape } = stepOf(step);
	if (key) {
		const output: Record<string, unknown> = stepAnswers;
		// A step that asks one question keeps its answer; the others keep their group.
		(answers as Record<string, unknown>)[key] = 'single' in shape ? output[key] : output;
		// Changing "who is this for" away from someone else forgets what was said about them.
		if (key === 'who' && answers.who !== 'family') delete answers.them;
		drafts.saveAnswers(draft, answers);
	} else {
		const { passphrase } = stepAnswers as { passphrase: string };
		drafts.saveAnswers(draft, answers, await hashSecret(passphrase));
	}
	return { answers, startedDraft: started ? draft.id : undefined, lost };
}

/** The steps a draft still needs before it can be sent. */
export function missingSteps(draft: drafts.Draft | undefined): StepSlug[] {
	const answers = drafts.answersOf(draft);
	return stepsFor(answers).filter((step) => {
		if (step === 'passphrase') return !draft?.passphraseHash;
		return answers[stepOf(step).key!] === undefined;
	});
}

/** The outbox kind of the alert an urgent referral sends the on-duty supervisor. */
export const urgentAlert = 'urgent_referral';

type SubmitResult =
	{ ok: true; caseId: string; reference: string } | { ok: false; missing: StepSlug[] };

/**
 * Sends the draft with this token, and resolves once that is on disk (`durably`): what the
 * "Send" button does.
 */
export function submit(draftToken: string | undefined): Promise<SubmitResult> {
	return durably(database(), () => commitReferral(draftToken));
}

/**
 * Writes the referral in the draft with this token: one user, one referral and one case (status
 * new) with its first visible timeline event and a staff notification, in one transaction. A
 * second call for the same draft (double click, Back then submit) finds the case the first one
 * made. On the server's connection the commit is on disk once the request's answer goes
 * (`flushingAfter`); elsewhere, `submit` waits for it. Synchronous, for a caller already in a
 * transaction (the bench's database, built through this module).
 */
export function commitReferral(draftToken: string | undefined): SubmitResult {
	const db = database();
	return db.transaction((tx) => {
		const draft = draftToken
			? tx.select().from(referralDrafts).where(eq(referralDrafts.id, draftToken)).get()
			: undefined;
		if (draft?.caseId) {
			const existing = tx
				.select({ id: cases.id, reference: cases.reference })
				.from(cases)
				.where(eq(cases.id, draft.caseId))
				.get();
			if (existing) return { ok: true, caseId: existing.id, reference: existing.reference };
		}
		if (!draft || draft.expiresAt.getTime() < Date.now()) {
			return { ok: false, missing: ['safe-now'] as StepSlug[] };
		}
		const missing = missingSteps(draft);
		if (missing.length > 0) return { ok: false, missing };

		const answers = drafts.answersOf(draft) as Required<Omit<Answers, 'them'>> &
			Pick<Answers, 'them'>;
		const { priority, reasons } = triagePriority(answers);
		const { crimeType, ...happened } = answers.happened;
		// Who referred, for the queue: the person themself, or a family member or friend.
		const source = answers.who === 'family' ? 'family' : 'self';
		const names = { name: answers.contact.name, them: answers.them?.name ?? null };
		const person = tx
			.insert(users)
			.values({
				role: 'person',
				secretHash: draft.passphraseHash,
				nameSealed: seal(answers.contact.name)
			})
			.returning({ id: users.id })
			.get();
		const referral = tx
			.insert(referrals)
			.values({
				draftId: draft.id,
				relationship: answers.who,
				source,
				accountSealed: seal(answers.account.account),
				names,
				contact: {
					phone: answers.contact.phone,
					email: answers.contact.email,
					safeTimes: answers.contact.safeTimes,
					alternative: answers.contact.alternative,
					themContact: answers.them?.contact ?? null
				},
				crimeReferenceSealed: seal(answers.police.crimeReference),
				accessNeedsSealed: seal(answers.language.accessNeeds),
				// The plain choices as given; what the person may change later lives on the case.
				answers: {
					safeNow: answers.safeNow,
					themKnows: answers.them?.knows ?? null,
					...happened,
					...answers.needs
				}
			})
			.returning({ id: referrals.id })
			.get();
		const created = openCase(
			tx,
			{
				referralId: referral.id,
				personId: person.id,
				priority,
				priorityReasons: reasons,
				crimeType,
				policeReported: answers.police.police,
				needs: answers.needs.needs,
				safeChannels: answers.contact.channels,
				voicemail: answers.contact.voicemail,
				sayWhoWeAre: answers.contact.sayWhoWeAre,
				language: answers.language.language,
				interpreter: answers.language.interpreter === 'yes',
				consentShare: answers.consent.share,
				consentPolice: answers.consent.police,
				source
			},
			{
				event: { kind: 'referral_received', visible: true },
				// Danger now or a child at risk: the on-duty supervisor hears at once, not at triage.
				notify: priority === 3 ? ['referral_received', urgentAlert] : ['referral_received'],
				names
			}
		);
		// The answers leave the draft: only the pointer to the case stays, for the confirmation.
		tx.update(referralDrafts)
			.set({ answers: null, passphraseHash: null, caseId: created.id })
			.where(eq(referralDrafts.id, draft.id))
			.run();
		return { ok: true, caseId: created.id, reference: created.reference };
	});
}

/**
 * What the confirmation page shows for the sent draft with this token: the reference and when we
 * will be in touch, and by when.
 */
export function confirmation(
	draftToken: string | undefined
): { reference: string; workingDays: number; by: Date; urgent: boolean } | undefined {
	const draft = drafts.find(draftToken);
	if (!draft?.caseId) return undefined;
	// Only what the page shows: the whole row would open every sealed column to drop it.
	const found = database()
		.select({ reference: cases.reference, priority: cases.priority, createdAt: cases.createdAt })
		.from(cases)
		.where(eq(cases.id, draft.caseId))
		.get();
	if (!found) return undefined;
	// The same first-contact target the console's clock counts against (configurable).
	return {
		reference: found.reference,
		workingDays: targetDays(found.priority),
		by: firstContactDue(found.createdAt, found.priority),
		urgent: found.priority === 3
	};
}
