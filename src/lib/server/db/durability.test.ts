import { describe, expect, it } from 'vitest';
import { durably, flush, flushingAfter, groupCommits, syncCount, unflushed } from './index';
import { freshDatabase } from './testing';

/** A fresh database file, its connection made the way the server's is (`groupCommits`). */
function serverDatabase() {
	const { db } = freshDatabase();
	groupCommits(db);
	const insert = db.$client.prepare(
		'insert into referral_drafts (id, updated_at, expires_at) values (?, 0, 0)'
	);
	const count = db.$client.prepare('select count(*) from referral_drafts').pluck();
	return { db, insert, count };
}

describe('commits on the server’s connection', () => {
	it('are not synced one by one, and unflushed writes leave it so', () => {
		const { db } = serverDatabase();
		const synchronous = () => db.$client.pragma('synchronous', { simple: true });
		expect(synchronous()).toBe(1); // NORMAL: `flush` syncs instead
		expect(unflushed(db, () => synchronous())).toBe(1);
		expect(synchronous()).toBe(1);
	});

	it('are synced by a flush only when something was committed since the last', async () => {
		const { db, insert } = serverDatabase();
		await flush(db);
		expect(syncCount(db)).toBe(0);
		insert.run('one');
		await flush(db);
		expect(syncCount(db)).toBe(1);
		await flush(db);
		expect(syncCount(db)).toBe(1);
	});

	it('are still synced after a checkpoint has emptied the WAL file the server holds open', async () => {
		const { db, insert, count } = serverDatabase();
		insert.run('before');
		await flush(db);
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		insert.run('after');
		await flush(db);
		// A failed sync is not counted: it falls back to a checkpoint of its own.
		expect(syncCount(db)).toBe(2);
		expect(count.get()).toBe(2);
	});

	it('share a sync when many wait at once (a group commit)', async () => {
		const { db, insert, count } = serverDatabase();
		// Twenty people pressing "Send" at once: each write is made as it is called.
		const writes = Array.from({ length: 20 }, (_, n) =>
			durably(db, () => {
				insert.run(`draft-${n}`);
				return n;
			})
		);
		expect(count.get()).toBe(20);
		expect(await Promise.all(writes)).toEqual([...Array(20).keys()]);
		// The first sync began after the first write; one more covers the other nineteen.
		expect(syncCount(db)).toBe(2);
	});

	it('are synced before a request that wrote is answered, and a request that only read waits for nothing', async () => {
		const { db, insert, count } = serverDatabase();
		expect(await flushingAfter(db, () => Promise.resolve(count.get()))).toBe(0);
		expect(syncCount(db)).toBe(0);
		const answered = await flushingAfter(db, () => {
			insert.run('sent');
			return Promise.resolve('sent');
		});
		expect(answered).toBe('sent');
		expect(syncCount(db)).toBe(1);
	});

	it('are not synced for a request that only saved a referral step, but are once it also wrote anything else', async () => {
		const { db, insert, count } = serverDatabase();
		// A step of the referral form: its draft is saved `unflushed`, and the step is answered at once.
		await flushingAfter(db, () => Promise.resolve(unflushed(db, () => insert.run('step'))));
		expect(count.get()).toBe(1);
		expect(syncCount(db)).toBe(0);
		// A request that saved a step and wrote something else waits for one sync, covering both.
		await flushingAfter(db, () => {
			unflushed(db, () => insert.run('next step'));
			insert.run('sent');
			return Promise.resolve();
		});
		expect(syncCount(db)).toBe(1);
		// A step saved while another request's message is being sent: that request still waits.
		let step: Promise<unknown> = Promise.resolve();
		await flushingAfter(db, () => {
			step = flushingAfter(db, () => Promise.resolve(unflushed(db, () => insert.run('meanwhile'))));
			insert.run('message');
			return Promise.resolve();
		});
		await step;
		expect(syncCount(db)).toBe(2);
		expect(count.get()).toBe(5);
	});

	it('are not synced for a write that failed, and the failure reaches the caller', async () => {
		const { db, insert, count } = serverDatabase();
		insert.run('taken');
		await flush(db);
		await expect(
			durably(db, () => {
				insert.run('taken');
			})
		).rejects.toThrow(/UNIQUE/);
		expect(count.get()).toBe(1);
		expect(syncCount(db)).toBe(1);
	});
});
