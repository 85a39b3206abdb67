import { eq } from 'drizzle-orm';
import { isLocale, localizePath, type Locale } from '$lib/i18n/locales';
import { config } from '$lib/server/config';
import { openCase, type Tx } from '$lib/server/cases/command';
import { seal } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { cases, referrals, users } from '$lib/server/db/schema';
import { fixedT } from '$lib/server/i18n';
import * as outbox from '$lib/server/notify/outbox';
import { smsConfigured } from '$lib/server/notify/sms';
import { triagePriority } from './priority';
import { urgentAlert } from './index';
import type { ProfessionalReferral } from './professional-form';

export { agreedForm, professionalForm, type ProfessionalReferral } from './professional-form';

/** The outbox kind of the notice that gives a professionally referred person their reference. */
export const referredNotice = 'referred_notice';

type Submitted =
	| { ok: true; caseId: string; reference: string; urgent: boolean }
	| { ok: false; reason: 'notAgreed' };

/**
 * Sends a professional's referral: the person (with no passphrase: only they may choose one),
 * the referral with the professional sealed, the case with its source, and the notice that gives
 * the person their reference by a safe written route, in one transaction. Without the person's
 * agreement nothing is stored, unless a child is at risk. The same form sent twice (a double
 * click, Back then send) finds the case the first one made.
 */
export function submit(input: ProfessionalReferral): Submitted {
	if (input.agreed === 'no') return { ok: false, reason: 'notAgreed' };
	const personAgreed = input.agreed;
	const draftId = `professional:${input.formToken}`;
	return database().transaction((tx) => {
		const earlier = tx
			.select({ id: cases.id, reference: cases.reference, priority: cases.priority })
			.from(cases)
			.innerJoin(referrals, eq(referrals.id, cases.referralId))
			.where(eq(referrals.draftId, draftId))
			.get();
		if (earlier) {
			return {
				ok: true,
				caseId: earlier.id,
				reference: earlier.reference,
				urgent: earlier.priority === 3
			};
		}
		// A referral without the person's agreement is only allowed because a child is at risk.
		const childAtRisk = personAgreed === 'child_at_risk' ? 'yes' : input.childAtRisk;
		const { priority, reasons } = triagePriority({
			safeNow: input.safeNow,
			needs: { needs: input.needs, childAtRisk },
			happened: { crimeType: input.crimeType, when: input.when, date: input.date }
		});
		const names = { name: input.name, them: null };
		const person = tx
			.insert(users)
			.values({ role: 'person', secretHash: null, nameSealed: seal(input.name) })
			.returning({ id: users.id })
			.get();
		const referral = tx
			.insert(referrals)
			.values({
				draftId,
				relationship: input.relationship,
				source: 'professional',
				referrerKind: input.referrerKind,
				referrer: {
					name: input.referrerName,
					organisation: input.organisation,
					role: input.referrerRole || null,
					workEmail: input.workEmail || null,
					workPhone: input.workPhone || null
				},
				personAgreed,
				accountSealed: seal(input.account),
				names,
				contact: {
					phone: input.phone,
					email: input.email,
					safeTimes: input.safeTimes,
					alternative: '',
					themContact: null
				},
				crimeReferenceSealed: seal(input.crimeReference),
				accessNeedsSealed: seal(input.accessNeeds),
				answers: {
					safeNow: input.safeNow,
					themKnows: null,
					when: input.when,
					date: input.date,
					needs: input.needs,
					childAtRisk,
					age: input.age
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
				crimeType: input.crimeType,
				policeReported: input.police,
				needs: input.needs,
				safeChannels: [...input.channels],
				voicemail: input.voicemail,
				sayWhoWeAre: input.sayWhoWeAre,
				language: input.language,
				interpreter: input.interpreter === 'yes',
				source: 'professional',
				referrerKind: input.referrerKind,
				// The professional cannot agree to sharing for the person: the named contact asks.
				consentShare: false,
				consentPolice: false
			},
			{
				event: { kind: 'referral_received', visible: true },
				notify: priority === 3 ? ['referral_received', urgentAlert] : ['referral_received'],
				names
			}
		);
		// Only a person who agreed to be referred is written to at once. Without their agreement
		// (a child at risk) nobody asked them which routes are safe: a text could reach whoever
		// watches their phone before anyone has judged the risk, so the named contact decides.
		if (personAgreed === 'yes') queueReferenceNotice(tx, created.id, created.reference, input);
		return { ok: true, caseId: created.id, reference: created.reference, urgent: priority === 3 };
	});
}

/** True when the person can be sent their reference in writing: a safe email, or safe texts. */
export function hasWrittenRoute(channels: readonly string[]): boolean {
	return channels.includes('email') || channels.includes('text');
}

/**
 * Queues the notice that gives the person their reference: by email if they marked email safe,
 * else by text if they marked texts safe, else nothing (the named contact gives it by phone).
 * In their language; no crime, no referrer, the service named only if they said it is safe.
 */
function queueReferenceNotice(
	tx: Tx,
	caseId: string,
	reference: string,
	input: ProfessionalReferral
): void {
	const lang: Locale = isLocale(input.language) ? input.language : 'en';
	const named = input.sayWhoWeAre === 'yes';
	if (input.channels.includes('email') && input.email) {
		const { subject, text } = referenceNotice(lang, named, reference, 'email');
		outbox.enqueue(
			referredNotice,
			caseId,
			{ channel: 'email', to: input.email, subject, text, person: { named } },
			tx
		);
	} else if (input.channels.includes('text') && input.phone && smsConfigured()) {
		const { subject, text } = referenceNotice(lang, named, reference, 'text');
		outbox.enqueue(
			referredNotice,
			caseId,
			{ channel: 'text', to: input.phone, subject, text, person: { named } },
			tx
		);
	}
}

/**
 * What the person is sent: their reference and how to choose a passphrase. By email, the page
 * that emails a reset link (it binds the link to the browser that asks, as every reset link is);
 * by text, the page where they use the code their named contact gives them on the phone.
 */
export function referenceNotice(
	lang: Locale,
	named: boolean,
	reference: string,
	channel: 'email' | 'text'
) {
	const t = fixedT(lang);
	const { origin, serviceName } = config();
	const path = channel === 'email' ? '/sign-in/email' : '/sign-in/reset';
	const link = new URL(localizePath(path, lang), origin).href;
	const params = { reference, link, service: serviceName };
	if (channel === 'email') {
		return {
			subject: t('common.notify.referredSubject'),
			text: named
				? t('common.notify.referredEmailNamed', params)
				: t('common.notify.referredEmail', params)
		};
	}
	return {
		subject: t('common.notify.referredSubject'),
		text: named
			? t('common.notify.referredTextNamed', params)
			: t('common.notify.referredText', params)
	};
}
