import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { cipher, createCipher, useCipher } from '$lib/server/crypto';
import { testCipher } from '$lib/server/testing/fixtures';
import { referralDrafts } from './schema';
import { freshDatabase } from './testing';

let db: ReturnType<typeof freshDatabase>['db'];
beforeEach(() => {
	({ db } = freshDatabase());
	testCipher();
});

const answers = {
	safeNow: 'safe' as const,
	account: { account: 'They broke the back door on Tuesday night.' },
	needs: { needs: ['housing' as const], childAtRisk: 'no' as const }
};

function draft(id: string, value: typeof answers | null) {
	const at = new Date(Date.now() + 60_000);
	db.insert(referralDrafts).values({ id, answers: value, updatedAt: at, expiresAt: at }).run();
}
const stored = (id: string) =>
	(
		db.$client
			.prepare('select answers_sealed as text from referral_drafts where id = ?')
			.get(id) as {
			text: string | null;
		}
	).text;
const read = (id: string) =>
	db.select().from(referralDrafts).where(eq(referralDrafts.id, id)).get()?.answers;

describe('a sealedJson column', () => {
	it('gives back what was written, and null as null', () => {
		draft('a', answers);
		draft('b', null);
		expect(read('a')).toEqual(answers);
		expect(read('b')).toBeNull();
		expect(stored('b')).toBeNull();
	});

	it('stores one sealed value, with nothing of the JSON readable', () => {
		draft('a', answers);
		const text = stored('a')!;
		expect(text).toMatch(/^v1\.test\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
		for (const clear of ['back door', 'housing', 'safeNow', '{']) expect(text).not.toContain(clear);
		// The same bytes as sealing JSON.stringify by hand, so values sealed before it still open.
		expect(JSON.parse(cipher().decrypt(text))).toEqual(answers);
		db.$client
			.prepare('update referral_drafts set answers_sealed = ? where id = ?')
			.run(cipher().encrypt(JSON.stringify({ who: 'witness' })), 'a');
		expect(read('a')).toEqual({ who: 'witness' });
	});

	it('refuses to open with the wrong key, naming the column and the key id', () => {
		draft('a', answers);
		useCipher(createCipher({ id: 'test', key: randomBytes(32) }));
		expect(() => read('a')).toThrowError(
			/Cannot open the sealed JSON in column "answers_sealed".*key "test": the key given under that id is not the one it was sealed with/
		);
		useCipher(createCipher({ id: 'other', key: randomBytes(32) }));
		expect(() => read('a')).toThrowError(
			/Cannot open the sealed JSON in column "answers_sealed".*sealed with key "test"/
		);
	});
});
