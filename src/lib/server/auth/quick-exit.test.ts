import type { RequestEvent } from '@sveltejs/kit';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { config } from '$lib/server/config';
import { freshDatabase } from '$lib/server/db/testing';
import { drafts } from '$lib/server/referrals';
import { cookieJar, staffMember, testCipher } from '$lib/server/testing/fixtures';
import { GET } from '../../../routes/quick-exit/+server';
import { cookieName } from './authjs';
import { deviceCookie } from './devices';
import * as sessions from './sessions';

let fresh: ReturnType<typeof freshDatabase>;
beforeEach(() => {
	fresh = freshDatabase();
	testCipher();
});
afterEach(() => vi.restoreAllMocks());

/** The quick exit's GET, as a browser without JavaScript sends it, with these cookies. */
async function exit(cookies: Record<string, string>) {
	const jar = cookieJar();
	for (const [name, value] of Object.entries(cookies)) jar.set(name, value, { path: '/' });
	const url = new URL('http://localhost/quick-exit');
	const event = { cookies: jar, locals: { user: null }, url, request: new Request(url) };
	const response = await GET(event as unknown as Parameters<typeof GET>[0] & RequestEvent);
	return { response, left: [...jar.values.keys()] };
}

describe('quick exit', () => {
	it('deletes the draft and drops every cookie of the visit, the device cookie too', async () => {
		const { draft } = drafts.findOrStart(undefined);
		const { response, left } = await exit({
			od_referral: draft.id,
			[cookieName()]: 'a session',
			[deviceCookie]: 'a device'
		});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(config().quickExitUrl.href);
		expect(left).toEqual([]);
		expect(drafts.find(draft.id)).toBeUndefined();
	});

	it('still sends the person to the neutral site when the database cannot be written', async () => {
		const { draft } = drafts.findOrStart(undefined);
		// Another connection holds the write lock (a script re-sealing the data, say). The exit
		// does not wait for it (the server waits five seconds for a lock; this test only five).
		const other = new Database(fresh.path);
		other.exec('begin immediate');
		vi.spyOn(console, 'error').mockImplementation(() => {});
		try {
			const { response, left } = await exit({ od_referral: draft.id, [deviceCookie]: 'a device' });
			expect(response.status).toBe(303);
			expect(response.headers.get('location')).toBe(config().quickExitUrl.href);
			expect(response.headers.get('clear-site-data')).toContain('"cookies"');
			expect(left).toEqual([]);
		} finally {
			other.exec('rollback');
			other.close();
		}
	});

	it('reads the leaving person’s session without failing when the database is locked', () => {
		const { userId } = staffMember('caseworker', 'Ada');
		const old = new Date(Date.now() - 2 * 3_600_000);
		// Idle for hours: reading it ends it, which is a write.
		const { sessionId } = sessions.start(userId, { now: old });
		const other = new Database(fresh.path);
		other.exec('begin immediate');
		vi.spyOn(console, 'error').mockImplementation(() => {});
		try {
			// Any other page fails, as it should; leaving treats the person as signed out.
			fresh.db.$client.pragma('busy_timeout = 0');
			expect(() => sessions.resume(sessionId)).toThrow(/locked/);
			fresh.db.$client.pragma('busy_timeout = 5000');
			expect(sessions.resumeLeaving(sessionId)).toBeNull();
			// And the wait it skipped is back for everything else.
			expect(fresh.db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
		} finally {
			other.exec('rollback');
			other.close();
		}
	});
});
