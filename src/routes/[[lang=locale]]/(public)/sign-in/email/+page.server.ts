import { clientAddress } from '$lib/server/http/client-address';
import type { RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { emailLinks } from '$lib/server/auth';
import { personSignInSchema } from '$lib/server/auth/sign-in-form';
import { readValid } from '$lib/server/forms';
import type { Actions } from './$types';

const schema = v.pick(personSignInSchema, ['reference']);

async function send(event: RequestEvent, purpose: emailLinks.LinkPurpose) {
	const sent = await readValid(event.request, schema);
	if (!sent.ok) return sent.failure;
	emailLinks.request(
		sent.output.reference,
		purpose,
		event.cookies,
		clientAddress(event),
		event.locals.t,
		event.locals.lang
	);
	// The same answer whether or not the reference exists or has a safe email.
	return { sent: true };
}

export const actions: Actions = {
	emailSignInLink: (event) => send(event, 'sign_in'),
	emailResetLink: (event) => send(event, 'reset')
};
