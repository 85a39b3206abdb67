import { fail, type RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { emailLinks } from '$lib/server/auth';
import { personSignInSchema } from '$lib/server/auth/sign-in-form';
import { fieldErrors, formObject, readForm } from '$lib/server/forms';
import type { Actions } from './$types';

const schema = v.pick(personSignInSchema, ['reference']);

async function send(event: RequestEvent, purpose: emailLinks.LinkPurpose) {
	const body = await readForm(event.request);
	if (!body.ok) return fail(body.status, { reference: '', errors: { form: body.error } });
	const input = formObject(body.form, ['reference']);
	const parsed = v.safeParse(schema, input);
	const reference = typeof input.reference === 'string' ? input.reference.slice(0, 40) : '';
	if (!parsed.success) return fail(400, { reference, errors: fieldErrors(parsed.issues) });
	emailLinks.request(
		parsed.output.reference,
		purpose,
		event.cookies,
		event.getClientAddress(),
		event.locals.t,
		event.locals.lang
	);
	// The same answer whether or not the reference exists or has a safe email.
	return { sent: true };
}

export const actions: Actions = {
	signIn: (event) => send(event, 'sign_in'),
	reset: (event) => send(event, 'reset')
};
