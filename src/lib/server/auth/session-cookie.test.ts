import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCipher, useCipher } from '$lib/server/crypto';
import { freshDatabase } from '$lib/server/db/testing';
import { users } from '$lib/server/db/schema';
import { cookieSecret, sessionIdOf, setSessionCookie } from './authjs';
import * as sessions from './sessions';

let db: ReturnType<typeof freshDatabase>['db'];
const dataKey = randomBytes(32);
beforeEach(() => {
	({ db } = freshDatabase());
	useCipher(createCipher({ id: 'k1', key: dataKey }));
});

type Options = Parameters<Cookies['set']>[2];

/** Just enough of a request for the cookie functions: a jar that remembers what was set. */
function requestWith(cookies: Record<string, string> = {}) {
	const set = new Map<string, { value: string; options: Options }>();
	const jar = {
		get: (name: string) => set.get(name)?.value ?? cookies[name],
		set: (name: string, value: string, options: Options) => void set.set(name, { value, options })
	};
	return { event: { cookies: jar } as unknown as RequestEvent, set };
}

function user(role: 'person' | 'caseworker') {
	return db.insert(users).values({ role }).returning().get();
}

/** Signs in through Auth.js as the sign-in pages do; returns the cookies it set. */
async function signIn(role: 'person' | 'caseworker') {
	const started = sessions.start(user(role).id);
	const { event, set } = requestWith();
	await setSessionCookie(event, started.grant);
	return { ...started, set };
}

describe('the session cookie', () => {
	it('is keyed by the data key’s secret bytes, not its public id', () => {
		const first = cookieSecret();
		useCipher(createCipher({ id: 'k1', key: randomBytes(32) }));
		expect(cookieSecret()).not.toBe(first);
		useCipher(createCipher({ id: 'another-id', key: dataKey }));
		expect(cookieSecret()).toBe(first);
	});

	it('cannot be read after the secret changes, even with the same key id', async () => {
		const { sessionId, set } = await signIn('person');
		const { value } = set.get('od.session')!;
		expect(await sessionIdOf(requestWith({ 'od.session': value }).event)).toBe(sessionId);
		useCipher(createCipher({ id: 'k1', key: randomBytes(32) }));
		expect(await sessionIdOf(requestWith({ 'od.session': value }).event)).toBeUndefined();
	});

	it('lasts only as long as the browser for a person, and is the only cookie set', async () => {
		const { set } = await signIn('person');
		expect([...set.keys()]).toEqual(['od.session']);
		const { options } = set.get('od.session')!;
		expect(options).toMatchObject({ httpOnly: true, path: '/' });
		expect(options.maxAge).toBeUndefined();
		expect(options.expires).toBeUndefined();
	});

	it('lasts the session’s 8 hours for staff', async () => {
		const { set } = await signIn('caseworker');
		expect([...set.keys()]).toEqual(['od.session']);
		expect(set.get('od.session')!.options.maxAge).toBe(8 * 3600);
	});
});

describe('stored sessions', () => {
	it('hold no raw session id or grant', () => {
		const { sessionId, grant } = sessions.start(user('person').id);
		const stored = JSON.stringify(db.$client.prepare('SELECT * FROM sessions').all());
		expect(stored).not.toContain(sessionId);
		expect(stored).not.toContain(grant.split('.')[1]);
	});

	it('cannot be resumed or redeemed from a copy of the database', () => {
		const { sessionId } = sessions.start(user('person').id);
		const rows = db.$client.prepare('SELECT * FROM sessions').all() as Record<string, unknown>[];
		expect(rows).toHaveLength(1);
		for (const value of Object.values(rows[0]!)) {
			if (typeof value !== 'string') continue;
			expect(sessions.resume(value)).toBeNull();
			expect(sessions.redeem(value)).toBeNull();
			expect(sessions.redeem(`${value}.${value}`)).toBeNull();
		}
		expect(sessions.resume(sessionId)).not.toBeNull();
	});
});
