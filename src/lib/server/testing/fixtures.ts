import type { Cookies } from '@sveltejs/kit';
import { randomBytes } from 'node:crypto';
import type { StepSlug } from '$lib/referral/steps';
import type { Actor } from '$lib/server/cases/access';
import { createCipher, seal, useCipher } from '$lib/server/crypto';
import { database } from '$lib/server/db';
import { users } from '$lib/server/db/schema';
import { readValid } from '$lib/server/forms';
import * as referrals from '$lib/server/referrals';
import { stepSchemas } from '$lib/server/referrals/schemas';

/** A cookie jar with SvelteKit's Cookies interface, for the sign-in modules that still take one. */
export function cookieJar(): Cookies & { values: Map<string, string> } {
	const values = new Map<string, string>();
	return {
		values,
		get: (name) => values.get(name),
		getAll: () => [...values].map(([name, value]) => ({ name, value })),
		set: (name, value) => void values.set(name, value),
		delete: (name) => void values.delete(name),
		serialize: (name, value) => `${name}=${value}`
	};
}

/** Installs a fresh random data key, as the server's init hook would from DATA_KEY. */
export function testCipher() {
	return useCipher(createCipher({ id: 'test', key: randomBytes(32) }));
}

/** A form with the given fields; arrays become repeated fields, as checkboxes send them. */
export function formData(fields: Record<string, string | string[]>): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
	}
	return form;
}

/**
 * Posts one referral step's fields as the browser would, through the form helper the page's
 * action uses: the refusal it would answer, or the step saved to the draft.
 */
export async function postStep(
	draftToken: string | undefined,
	step: StepSlug,
	fields: Record<string, string | string[]>
) {
	const request = new Request('http://localhost/refer', { method: 'POST', body: formData(fields) });
	const sent = await readValid(request, stepSchemas[step], { secret: ['passphrase', 'confirm'] });
	if (!sent.ok) return sent;
	return { ok: true as const, ...(await referrals.saveStep(draftToken, step, sent.output)) };
}

/**
 * A complete, valid set of answers, step by step; an override changes the fields it names and
 * keeps the step's other valid answers, so a new question needs a valid answer here only.
 */
export function validSteps(
	overrides: Partial<Record<string, Record<string, string | string[]>>> = {}
): [string, Record<string, string | string[]>][] {
	const steps: Record<string, Record<string, string | string[]>> = {
		'safe-now': { safeNow: 'safe' },
		who: { who: 'victim' },
		'what-happened': { crimeType: 'burglary', when: 'month', date: '' },
		account: { account: 'They broke the back door on Tuesday night.' },
		police: { police: 'not_reported', crimeReference: '' },
		needs: { needs: ['emotional', 'practical'], childAtRisk: 'no' },
		contact: {
			channels: ['phone', 'email'],
			name: 'Agnieszka',
			phone: '07700 900982',
			email: 'agnieszka@example.org',
			voicemail: 'no',
			sayWhoWeAre: 'no',
			safeTimes: 'weekdays 10:00-12:00',
			alternative: ''
		},
		language: { language: 'pl', interpreter: 'yes', accessNeeds: '' },
		consent: { share: 'yes' },
		passphrase: { passphrase: 'purple kettle river moon', confirm: 'purple kettle river moon' }
	};
	for (const [step, fields] of Object.entries(overrides))
		steps[step] = { ...steps[step], ...fields };
	return Object.entries(steps);
}

/**
 * Saves each step's fields through the real referral module, as a browser filling in the form
 * would, and returns the draft's token (what the browser's cookie would hold).
 */
export async function saveSteps(
	steps: [string, Record<string, string | string[]>][],
	draftToken?: string
): Promise<string | undefined> {
	for (const [step, fields] of steps) {
		const saved = await postStep(draftToken, step as StepSlug, fields);
		if (!saved.ok) throw new Error(`step ${step} refused: ${JSON.stringify(saved.failure.data)}`);
		if (saved.startedDraft) draftToken = saved.startedDraft;
	}
	return draftToken;
}

/** A staff member in the current database, named "<name> Smith" (sealed), as a case actor. */
export function staffMember(role: 'caseworker' | 'supervisor' | 'admin', name: string): Actor {
	const row = database()
		.insert(users)
		.values({
			role,
			email: `${name.toLowerCase()}@onedoor.test`,
			nameSealed: seal(`${name} Smith`)
		})
		.returning()
		.get();
	return { userId: row.id, role };
}
