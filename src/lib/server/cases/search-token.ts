import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { derivedKey } from '$lib/server/crypto';

// The case list's search box takes names, and a name must not sit in an address: browser
// history, a proxy's log and a shared screen all keep addresses (ASVS 5.0 V14.2.1: sensitive
// data in the body or headers, never the query string). The box posts, and the address carries
// the search sealed instead: AES-256-GCM under a key derived for this one purpose, so a token
// opens nothing else and nothing else opens as a token. Paging links and Back keep working.

/** A sealed search works for the staff member who made it, for a working day. */
export const searchHours = 12;

const searchKey = (): Buffer => derivedKey('case-list-search');

type Sealed = { q: string; user: string; at: number };

/**
 * Every search is sealed at this length (JSON ends in spaces), so an address does not tell a
 * reference from a name, or a short name from a long one: a 100-character search at 6 bytes a
 * character, its staff member's id and the time fit.
 */
const paddedBytes = 768;

/** The search `q`, sealed for this staff member: base64url, for the `search` parameter. */
export function sealSearch(q: string, userId: string, now = Date.now()): string {
	const iv = randomBytes(12);
	const gcm = createCipheriv('aes-256-gcm', searchKey(), iv);
	const json = Buffer.from(JSON.stringify({ q, user: userId, at: now } satisfies Sealed), 'utf8');
	const plain = Buffer.alloc(Math.max(paddedBytes, json.length), ' ');
	json.copy(plain);
	const body = Buffer.concat([gcm.update(plain), gcm.final()]);
	return Buffer.concat([iv, body, gcm.getAuthTag()]).toString('base64url');
}

/**
 * What a `search` parameter asks for: the typed search if it is this staff member's and still
 * fresh; `ended` for one that is not (too old, another person's, sealed under a key since
 * rotated, or altered); `none` when there is no search.
 */
export function openSearch(
	token: string | null,
	userId: string,
	now = Date.now()
): { q: string } | 'ended' | 'none' {
	if (token === null || token === '') return 'none';
	if (token.length > 2 * paddedBytes) return 'ended';
	const bytes = Buffer.from(token, 'base64url');
	if (bytes.length < 12 + 16 + 1) return 'ended';
	try {
		const gcm = createDecipheriv('aes-256-gcm', searchKey(), bytes.subarray(0, 12));
		gcm.setAuthTag(bytes.subarray(-16));
		const plain = Buffer.concat([gcm.update(bytes.subarray(12, -16)), gcm.final()]);
		const sealed = JSON.parse(plain.toString('utf8')) as Partial<Sealed>;
		const fresh =
			typeof sealed.at === 'number' &&
			sealed.at <= now &&
			now - sealed.at < searchHours * 3_600_000;
		return typeof sealed.q === 'string' && sealed.user === userId && fresh
			? { q: sealed.q }
			: 'ended';
	} catch {
		return 'ended';
	}
}
