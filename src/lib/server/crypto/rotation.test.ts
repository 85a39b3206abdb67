import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '$lib/server/db/testing';
import { cases as casesTable, users } from '$lib/server/db/schema';
import * as cases from '$lib/server/cases';
import { completeIndexes } from '$lib/server/cases/names';
import * as messages from '$lib/server/messages';
import * as referrals from '$lib/server/referrals';
import { saveSteps, validSteps } from '$lib/server/testing/fixtures';
import { createCipher, DataKeyError, seal, useCipher, type DataKey } from './index';
import { checkSealedKeys, rekey, sealedKeyIds } from './rotation.js';

const key = (id: string): DataKey => ({ id, key: randomBytes(32) });

let db: ReturnType<typeof freshDatabase>['db'];
const old = key('2025');
const next = key('2026');

/** A case with sealed values everywhere they live: referral, name, message, and a note in JSON. */
async function caseSealedWith(dataKey: DataKey) {
	useCipher(createCipher(dataKey));
	const sent = await referrals.submit(await saveSteps(validSteps()));
	if (!sent.ok) throw new Error('referral incomplete');
	const staff = db
		.insert(users)
		.values({ role: 'caseworker', email: 'cw@onedoor.test', nameSealed: seal('Amira Khan') })
		.returning()
		.get();
	const row = db.select().from(casesTable).where(eq(casesTable.id, sent.caseId)).get()!;
	cases.changes.addNote({ userId: staff.id, role: 'caseworker' }, row, 'Called back, safe to talk');
	messages.send(sent.caseId, 'person', row.personId, 'When is the hearing?');
	return sent.caseId;
}

/** What staff read on the case, through the real modules, with only `dataKey` loaded. */
function readWith(caseId: string, ...dataKeys: DataKey[]) {
	useCipher(createCipher(dataKeys[0]!, dataKeys.slice(1)));
	const row = db.select().from(casesTable).where(eq(casesTable.id, caseId)).get()!;
	const details = cases.record.details(row);
	return {
		account: details.account,
		// The referral's sealedJson columns: names and contact details.
		name: details.names.name,
		email: details.contact.email,
		note: cases.record.timeline(caseId).find((event) => event.kind === 'note')?.params.text,
		message: messages.conversation(caseId).at(-1)?.text
	};
}

beforeEach(() => {
	({ db } = freshDatabase());
});

describe('data key rotation', () => {
	it('refuses to start with a new key alone, naming the old key id', async () => {
		await caseSealedWith(old);
		const check = () => checkSealedKeys(db.$client, createCipher(next));
		expect(check).toThrowError(DataKeyError);
		expect(check).toThrowError(
			'Values in the database are sealed with data key "2025", which is neither DATA_KEY nor in DATA_KEYS_OLD: add that key to DATA_KEYS_OLD (and run `npm run rekey` to re-seal them under DATA_KEY).'
		);
		expect(() => checkSealedKeys(db.$client, createCipher(next, [old]))).not.toThrow();
	});

	it('refuses a different key given under the id the values were sealed with', async () => {
		await caseSealedWith(old);
		expect(() => checkSealedKeys(db.$client, createCipher(key('2025')))).toThrowError(
			/The key given for id "2025" .* does not open the values sealed with data key "2025"/
		);
	});

	it('re-seals every value, notes inside JSON too, so the old key can be dropped', async () => {
		const caseId = await caseSealedWith(old);
		const before = readWith(caseId, old);
		expect(before.note).toBe('Called back, safe to talk');
		expect(before.message).toBe('When is the hearing?');
		expect(before).toMatchObject({ name: 'Agnieszka', email: 'agnieszka@example.org' });

		const resealed = rekey(db.$client, createCipher(next, [old]));
		expect(resealed).toBeGreaterThan(5);
		expect([...sealedKeyIds(db.$client).keys()]).toEqual(['2026']);
		expect(() => checkSealedKeys(db.$client, createCipher(next))).not.toThrow();
		expect(readWith(caseId, next)).toEqual(before);
		// Nothing is left to do a second time.
		expect(rekey(db.$client, createCipher(next))).toBe(0);
	});

	it('recomputes the name index under the new key, so search still finds the case', async () => {
		const caseId = await caseSealedWith(old);
		// A real account: the list is audited as read by it.
		const supervisor = {
			userId: db
				.insert(users)
				.values({ role: 'supervisor', email: 'sup@onedoor.test', nameSealed: seal('Jo Smith') })
				.returning()
				.get().id,
			role: 'supervisor' as const
		};
		const found = () => cases.queue.list(supervisor, { q: 'Agnieszka' }).rows.map((r) => r.id);
		expect(found()).toEqual([caseId]);
		rekey(db.$client, createCipher(next, [old]));
		useCipher(createCipher(next));
		// The server restarts with the new key, and its start rebuilds the index under it.
		expect(completeIndexes()).toBe(1);
		expect(found()).toEqual([caseId]);
		const keys = db.$client.prepare('select distinct name_index_key from cases').pluck().all();
		expect(keys).toEqual(['2026']);
	});

	it('changes nothing when a value cannot be opened', async () => {
		await caseSealedWith(old);
		expect(() => rekey(db.$client, createCipher(next))).toThrowError(/data key "2025"/);
		expect([...sealedKeyIds(db.$client).keys()]).toEqual(['2025']);
	});
});
