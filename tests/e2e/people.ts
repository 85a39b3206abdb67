import { request as playwrightRequest } from '@playwright/test';
import { baseURL } from '../../playwright.config';

const steps: [string, Record<string, string | string[]>][] = [
	['safe-now', { safeNow: 'safe' }],
	['who', { who: 'victim' }],
	['what-happened', { crimeType: 'fraud', when: 'month', date: '' }],
	['account', { account: '' }],
	['police', { police: 'not_reported', crimeReference: '' }],
	['needs', { needs: ['money'], childAtRisk: 'no' }],
	['contact', { channels: ['portal'] }],
	['language', { language: 'en', interpreter: 'no', accessNeeds: '' }],
	['consent', {}],
	['passphrase', {}]
];

/** Answers to change from the defaults above, step by step. */
export type StepOverrides = Record<string, Record<string, string | string[]>>;

/** A new person who referred themself through the real forms; returns how they sign in. */
export async function newPerson(
	passphrase = 'silver teapot garden rain',
	email?: string,
	overrides: StepOverrides = {}
) {
	const api = await playwrightRequest.newContext({ baseURL });
	for (const [step, fields] of steps) {
		const body = new URLSearchParams();
		const all =
			overrides[step] ??
			(step === 'passphrase'
				? { passphrase, confirm: passphrase }
				: step === 'contact' && email
					? { channels: ['email'], email }
					: fields);
		for (const [name, value] of Object.entries(all)) {
			for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
		}
		const response = await api.post(`/refer/${step}`, {
			data: body.toString(),
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }
		});
		if (!response.ok()) throw new Error(`step ${step} answered ${response.status()}`);
	}
	const done = await api.post('/refer/check', {
		data: '',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }
	});
	const reference = /class="reference"[^>]*>([A-Z0-9]{4}-[A-Z0-9]{4})</.exec(
		await done.text()
	)?.[1];
	await api.dispose();
	if (!reference) throw new Error('no reference on the confirmation page');
	return { reference, passphrase };
}
