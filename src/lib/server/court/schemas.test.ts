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
	it('keep a box ticked twice (an edited form) once', async () => {
		const ticked = await readValid(
			post([
				['ticked', 'letter'],
				['ticked', 'letter'],
				['ticked', 'id']
			]),
			checklistForm
		);
		expect(ticked.ok && ticked.output.ticked).toEqual(['letter', 'id']);
		const measures = await readValid(
			post([
				['measures', 'screens'],
				['measures', 'screens'],
				['notes', '']
			]),
			measuresForm
		);
		expect(measures.ok && measures.output.measures).toEqual(['screens']);
	});

	it('still refuse a box the page does not offer', async () => {
		const sent = await readValid(post([['ticked', 'passport-photo']]), checklistForm);
		expect(!sent.ok && sent.failure.data.errors).toEqual({ ticked: 'my.court.errors.checklist' });
	});
});
