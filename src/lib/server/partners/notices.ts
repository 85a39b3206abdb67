import { eq } from 'drizzle-orm';
import { createT } from '$lib/i18n';
// The agency side is English only, like the console. Read from the file itself, not through
// `$lib/server/i18n`, whose locale glob only Vite can load: the browser tests' own set-up code
// (tests/e2e/people.ts) reaches this module through `$lib/server/partners`.
import staffMessages from '$lib/i18n/locales/en/staff.json' with { type: 'json' };
import { config } from '$lib/server/config';
import type { Tx } from '$lib/server/cases/command';
import { outbox, partnerAgencies } from '$lib/server/db/schema';

/**
 * What an agency is told: a referral is waiting for it, the person withdrew their consent, or
 * the person's details were erased at their request (UK GDPR Article 19: each recipient is told).
 */
export type AgencyNoticeKind = 'sent' | 'withdrawn' | 'erased';

/**
 * The email an agency's shared inbox gets: the agency's own name and where to sign in, nothing
 * else. No person, no crime, no reference (DESIGN rule 1: notifications never reveal details).
 * An agency an admin has switched off (`offered` false) cannot sign in: a withdrawal or an
 * erasure still reaches it (it must stop using what it has), with whom to ask which referral
 * instead of a link that no longer opens. (A new referral never goes to one.)
 */
export function agencyNotice(kind: AgencyNoticeKind, agency: string, offered = true) {
	const t = createT('en', { staff: staffMessages });
	const { origin, privacy } = config();
	const link = new URL('/partner', origin).href;
	const key = offered || kind === 'sent' ? kind : `${kind}Off`;
	return {
		subject: t(`staff.agencyNotice.${kind}Subject`),
		text: t(`staff.agencyNotice.${key}`, { agency, link, contact: privacy.controllerContact })
	};
}

/**
 * Queues the content-free notice to the agency's inbox, in the caller's transaction, so it goes
 * only if the change it is about is kept. Nothing is queued when the agency has no inbox (its
 * workers see the change in /partner). The row names no case: erasing the case must not stop a
 * withdrawal reaching the agency. Returns the outbox row's id, or null.
 */
export function noticeToAgency(
	tx: Pick<Tx, 'select' | 'insert'>,
	agencyId: string,
	kind: AgencyNoticeKind
): string | null {
	const agency = tx
		.select({
			name: partnerAgencies.name,
			inbox: partnerAgencies.inboxEmail,
			offered: partnerAgencies.active
		})
		.from(partnerAgencies)
		.where(eq(partnerAgencies.id, agencyId))
		.get();
	const to = agency?.inbox?.trim();
	if (!agency || !to) return null;
	// A fixed message, as the outbox sends sign-in links (notify/outbox.ts `enqueue`, which is not
	// used here: it marks its rows for the person and reaches the Vite-only locale glob).
	return tx
		.insert(outbox)
		.values({
			kind: `agency_${kind}`,
			audience: 'staff',
			caseId: null,
			payload: { channel: 'email', to, ...agencyNotice(kind, agency.name, agency.offered) }
		})
		.returning({ id: outbox.id })
		.get().id;
}
