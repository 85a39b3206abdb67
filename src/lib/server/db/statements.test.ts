import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { referralDrafts } from './schema';
import { freshDatabase } from './testing';

describe('a statement reused by queries with the same SQL', () => {
	it('answers with rows after a select left it in array mode, and the other way round', () => {
		const { db } = freshDatabase();
		db.insert(referralDrafts)
			.values({ id: 'one', updatedAt: new Date(0), expiresAt: new Date(0) })
			.run();
		const select = db
			.select({ id: referralDrafts.id })
			.from(referralDrafts)
			.where(eq(referralDrafts.id, 'one'));
		const text = select.toSQL().sql;
		expect(text.endsWith('= ?')).toBe(true);
		// The same SQL text, run as a plain query that wants an object back.
		const plain = () => db.get(sql`${sql.raw(text.slice(0, -1))}${'one'}`);
		expect(select.get()).toEqual({ id: 'one' });
		expect(plain()).toEqual({ id: 'one' });
		expect(select.get()).toEqual({ id: 'one' });
		expect(plain()).toEqual({ id: 'one' });
	});

	it('sees what was written since it was first used', () => {
		const { db } = freshDatabase();
		const count = () => db.select({ id: referralDrafts.id }).from(referralDrafts).all().length;
		expect(count()).toBe(0);
		db.insert(referralDrafts)
			.values({ id: 'two', updatedAt: new Date(0), expiresAt: new Date(0) })
			.run();
		expect(count()).toBe(1);
	});
});
