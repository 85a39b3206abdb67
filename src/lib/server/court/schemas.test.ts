import { describe, expect, it } from 'vitest';
import { readValid } from '$lib/server/forms';
import { checklistForm, measuresForm } from './schemas';

const post = (fields: [string, string][]) =>
	new Request('http://localhost/my/court', {
		method: 'POST',
		body: new URLSearchParams(fields).toString(),
		headers: { 'content-type': 'application/x-www-form-urlencoded' }
	});

describe('the court page’s lists', () => {
	it('refuse a box ticked twice (an edited form), and store nothing of it', async () => {
		const ticked = await readValid(
			post([
				['ticked', 'letter'],
				['ticked', 'letter'],
				['ticked', 'id']
			]),
			checklistForm
		);
		expect(!ticked.ok && ticked.failure.data.errors).toEqual({
			ticked: 'my.court.errors.checklist'
		});
		const measures = await readValid(
			post([
				['measures', 'screens'],
				['measures', 'screens'],
				['notes', '']
			]),
			measuresForm
		);
		expect(!measures.ok && measures.failure.data.errors).toEqual({
			measures: 'my.court.errors.measures'
		});
		const once = await readValid(
			post([
				['ticked', 'letter'],
				['ticked', 'id']
			]),
			checklistForm
		);
		expect(once.ok && once.output.ticked).toEqual(['letter', 'id']);
	});

	it('still refuse a box the page does not offer', async () => {
		const sent = await readValid(post([['ticked', 'passport-photo']]), checklistForm);
		expect(!sent.ok && sent.failure.data.errors).toEqual({ ticked: 'my.court.errors.checklist' });
	});
});
