import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { parseForm, readForm } from './forms';

const post = (body: string, contentType: string) =>
	new Request('http://localhost/x', {
		method: 'POST',
		body,
		headers: { 'content-type': contentType }
	});

/** A multipart body whose parts are fenced by a boundary the header does not name. */
const wrongBoundary = () =>
	post(
		'--other\r\nContent-Disposition: form-data; name="account"\r\n\r\nkeep me\r\n--other--\r\n',
		'multipart/form-data; boundary=expected'
	);

describe('readForm', () => {
	it('reads a well-formed body as the form', async () => {
		const body = await readForm(post('account=hello', 'application/x-www-form-urlencoded'));
		expect(body.ok && body.form.get('account')).toBe('hello');
	});

	it('refuses a multipart body with the wrong boundary as unreadable, not as an empty form', async () => {
		expect(await readForm(wrongBoundary())).toEqual({
			ok: false,
			status: 400,
			error: 'common.form.unreadable'
		});
	});

	it('makes the schema helper answer 400 with one error for the whole form', async () => {
		// An empty form would pass this schema (every field optional): unreadable must not.
		const schema = v.object({ account: v.optional(v.string(), '') });
		expect(parseForm(await readForm(wrongBoundary()), schema, ['account'])).toEqual({
			ok: false,
			status: 400,
			errors: { form: 'common.form.unreadable' },
			values: {}
		});
	});
});
