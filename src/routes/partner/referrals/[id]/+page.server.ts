import { error, type RequestEvent } from '@sveltejs/kit';
import { requirePartner, type Partner } from '$lib/server/auth';
import type { Changed } from '$lib/server/cases/command';
import { readValid, type FormSchema } from '$lib/server/forms';
import * as conversation from '$lib/server/partners/conversation';
import * as schemas from '$lib/server/partners/schemas';
import * as work from '$lib/server/partners/work';
import type * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';

/** Another agency's referral, or one never sent, is not found; a withdrawn one is gone. */
function refuseMissing(found: work.Found): never {
	if (!found.ok && found.reason === 'withdrawn') error(410, 'withdrawn');
	error(404, 'not_found');
}

export const load: PageServerLoad = (event) => {
	const partner = requirePartner(event);
	const opened = work.openReferral(partner, event.params.id);
	if (!opened.ok) refuseMissing(opened);
	const shown = conversation.forPartner(
		partner,
		opened.referral.id,
		event.url.searchParams.get('before')
	);
	return {
		referral: opened.referral,
		conversation: shown!,
		open: conversation.writable(opened.caseId, opened.referral.status),
		outcomes: [...work.partnerOutcomes],
		maxLength: conversation.maxLength
	};
};

/** One action: guard, find the referral (404/410 as the page), read the form, make the change. */
async function act<S extends FormSchema, const N extends string>(
	event: RequestEvent<{ id: string }>,
	schema: S,
	name: N,
	change: (partner: Partner, found: work.Found & { ok: true }, input: v.InferOutput<S>) => Changed
) {
	const partner = requirePartner(event);
	const found = work.find(partner, event.params.id);
	if (!found.ok) refuseMissing(found);
	const sent = await readValid(event.request, schema, { name });
	if (!sent.ok) return sent.failure;
	const result = change(partner, found, sent.output);
	if (!result.ok) return sent.refuse(result.field, result.error);
	return { form: name, done: `staff.partnerArea.done.${name}` };
}

export const actions: Actions = {
	accept: (event) =>
		act(event, schemas.acceptForm, 'accept', (partner, found, input) =>
			work.accept(partner, found.id, input.worker)
		),
	decline: (event) =>
		act(event, schemas.declineForm, 'decline', (partner, found, input) =>
			work.decline(partner, found.id, input.reason)
		),
	rename: (event) =>
		act(event, schemas.renameForm, 'rename', (partner, found, input) =>
			work.nameWorker(partner, found.id, input.worker)
		),
	close: (event) =>
		act(event, schemas.closeForm, 'close', (partner, found, input) =>
			work.close(partner, found.id, input.outcome, input.note)
		),
	send: (event) =>
		act(event, conversation.messageForm, 'send', (partner, found, input) =>
			conversation.send('partner', partner, found.caseId, found.id, input.message)
		)
};
