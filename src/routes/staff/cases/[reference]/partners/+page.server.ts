import * as partners from '$lib/server/partners';
import { oversees } from '$lib/server/cases/access';
import { overrideForm, proposeForm, recordConsentForm } from '$lib/server/cases/schemas';
import { overrideBases } from '$lib/server/db/schema';
import { act, viewCase } from '../case';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { actor, details } = viewCase(event);
	return {
		details,
		oversees: oversees(actor),
		agencies: partners.agencies(),
		referrals: partners.forCase(details.id),
		bases: [...overrideBases]
	};
};

// A caseworker may share without consent themself: a MARAC or a child's safety cannot wait for a
// supervisor to be free. Every one is listed for supervisors at /staff/sharing.
export const actions: Actions = {
	propose: (event) =>
		act(
			event,
			proposeForm,
			{
				name: 'propose',
				done: 'staff.done.propose',
				written: {
					reason: 'staff.partners.reasonLabel',
					summary: 'staff.partners.summaryLabel'
				}
			},
			(actor, row, input) =>
				partners.propose(actor, row, input.agency, { reason: input.reason, summary: input.summary })
		),
	recordConsent: (event) =>
		act(
			event,
			recordConsentForm,
			{
				name: 'recordConsent',
				done: 'staff.done.recordConsent',
				written: { consentNote: 'staff.partners.consentNoteLabel' }
			},
			(actor, row, input) => partners.recordConsent(actor, row, input.referral, input.consentNote)
		),
	override: (event) =>
		act(
			event,
			overrideForm,
			{
				name: 'override',
				done: 'staff.done.override',
				written: {
					overrideSummary: 'staff.partners.overrideSummaryLabel',
					overrideReason: 'staff.partners.overrideReasonLabel'
				}
			},
			(actor, row, input) => {
				const shared = partners.shareWithoutConsent(
					actor,
					row,
					{ agencyId: input.overrideAgency, summary: input.overrideSummary },
					input.basis,
					input.overrideReason
				);
				// The domain names the agency `agency`; on this form that field is `overrideAgency`.
				return !shared.ok && shared.field === 'agency'
					? { ...shared, field: 'overrideAgency' }
					: shared;
			}
		)
};
