import * as v from 'valibot';
import { organisationSignIn, organisations, requireStaff } from '$lib/server/auth';
import { readValid } from '$lib/server/forms';
import * as partners from '$lib/server/partners';
import type { Actions, PageServerLoad } from './$types';

const e = (key: string) => `staff.organisations.errors.${key}`;
const text = (key: string, max: number) =>
	v.pipe(v.string(e(key)), v.trim(), v.nonEmpty(e(key)), v.maxLength(max, e(key)));
// "ours" for our own staff's organisation, or a partner agency's id.
const addForm = v.object({
	name: text('name', 100),
	issuer: v.pipe(text('issuer', 500), v.check(organisations.isAcceptableIssuer, e('issuer'))),
	clientId: text('clientId', 500),
	clientSecret: v.pipe(v.string(e('clientSecret')), v.maxLength(1000, e('clientSecret'))),
	emailDomains: v.pipe(
		text('emailDomains', 2000),
		v.check((typed) => organisations.parseDomains(typed) !== null, e('emailDomains'))
	),
	for: text('for', 64)
});
// A row's button: a stale or edited row is "not changed", beside the whole form.
const notChanged = 'staff.errors.notChanged';
const activeForm = v.object({
	id: v.pipe(v.string(notChanged), v.maxLength(64, notChanged)),
	active: v.picklist(['yes', 'no'], notChanged)
});

export const load: PageServerLoad = (event) => {
	requireStaff(event, 'admin');
	return {
		organisations: organisations.all().map((org) => ({
			...org,
			redirectUri: organisationSignIn.redirectUri(org.id)
		})),
		agencies: partners.allAgencies().map(({ id, name }) => ({ id, name }))
	};
};

export const actions: Actions = {
	add: async (event) => {
		const admin = requireStaff(event, 'admin');
		const sent = await readValid(event.request, addForm, { name: 'add', secret: ['clientSecret'] });
		if (!sent.ok) return sent.failure;
		const { for: who, emailDomains, ...rest } = sent.output;
		const added = organisations.add(admin, {
			...rest,
			emailDomains: organisations.parseDomains(emailDomains)!,
			agencyId: who === 'ours' ? null : who
		});
		if (!added.ok) return sent.refuse('for', added.error);
		return { done: 'staff.organisations.added' };
	},
	setActive: async (event) => {
		const admin = requireStaff(event, 'admin');
		const sent = await readValid(event.request, activeForm, { name: 'setActive' });
		if (!sent.ok) return sent.failure;
		if (!organisations.setActive(admin, sent.output.id, sent.output.active === 'yes')) {
			return sent.refuse('form', notChanged);
		}
		return { done: 'staff.organisations.updated' };
	}
};
