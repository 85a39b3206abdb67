import { describe, expect, expectTypeOf, it } from 'vitest';
import * as v from 'valibot';
import { formFields, readForm, readValid } from './forms';

const post = (body: string, contentType = 'application/x-www-form-urlencoded') =>
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

const storyForm = v.object({
	story: v.pipe(v.string(), v.trim(), v.nonEmpty('refer.errors.story')),
	needs: v.pipe(v.array(v.picklist(['housing', 'money'], 'refer.errors.needs')), v.minLength(1)),
	passphrase: v.optional(v.string(), '')
});

describe('readForm', () => {
	it('reads a well-formed body as the form', async () => {
		const body = await readForm(post('account=hello'));
		expect(body.ok && body.form.get('account')).toBe('hello');
	});

	it('refuses a multipart body with the wrong boundary as unreadable, not as an empty form', async () => {
		expect(await readForm(wrongBoundary())).toEqual({
			ok: false,
			status: 400,
			error: 'common.form.unreadable'
		});
	});
});

describe('formFields', () => {
	it('takes the fields from the schema, arrays as lists, through pipes and optionals', () => {
		const hearing = v.pipe(
			v.object({ date: v.string(), ticked: v.optional(v.array(v.string())) }),
			v.transform((x) => x)
		);
		expect(formFields(storyForm)).toEqual([
			{ name: 'story', list: false },
			{ name: 'needs', list: true },
			{ name: 'passphrase', list: false }
		]);
		expect(formFields(hearing)).toEqual([
			{ name: 'date', list: false },
			{ name: 'ticked', list: true }
		]);
	});

	it('takes the fields of each part of an intersection', () => {
		const reset = v.intersect([v.object({ reference: v.string() }), storyForm]);
		expect(formFields(reset).map((field) => field.name)).toEqual([
			'reference',
			'story',
			'needs',
			'passphrase'
		]);
	});
});

describe('readValid', () => {
	it('answers the typed output for a good form, every ticked box in the list', async () => {
		const sent = await readValid(post('story=It+happened&needs=housing&needs=money'), storyForm);
		expect(sent.ok && sent.output).toEqual({
			story: 'It happened',
			needs: ['housing', 'money'],
			passphrase: ''
		});
		if (sent.ok) {
			expectTypeOf(sent.output).toEqualTypeOf<{
				story: string;
				needs: ('housing' | 'money')[];
				passphrase: string;
			}>();
		}
	});

	it('refuses bad input with 400, a key per field, the values again and never a secret', async () => {
		const sent = await readValid(post('story=+&needs=boats&passphrase=hunter2'), storyForm, {
			name: 'tellStory',
			secret: ['passphrase']
		});
		expect(sent.ok).toBe(false);
		if (sent.ok) return;
		expect(sent.failure.status).toBe(400);
		expect(sent.failure.data).toEqual({
			form: 'tellStory',
			errors: { story: 'refer.errors.story', needs: 'refer.errors.needs' },
			values: { story: ' ', needs: ['boats'] }
		});
		expectTypeOf(sent.failure.data.errors).toEqualTypeOf<{
			story?: string;
			needs?: string;
			passphrase?: string;
			form?: string;
		}>();
		expectTypeOf(sent.failure.data.values?.needs).toEqualTypeOf<string[] | undefined>();
	});

	it('answers 400 with one error for the whole form when the body cannot be read', async () => {
		// An empty form would pass this schema (every field optional): unreadable must not.
		const schema = v.object({ account: v.optional(v.string(), '') });
		const sent = await readValid(wrongBoundary(), schema);
		expect(!sent.ok && sent.failure).toMatchObject({
			status: 400,
			data: { errors: { form: 'common.form.unreadable' } }
		});
		// No values: the page shows again what it already had (a step, its saved answer).
		expect(!sent.ok && 'values' in sent.failure.data).toBe(false);
	});

	it('answers 413 for a body larger than any form, keeping none of it', async () => {
		const big = new Request('http://localhost/x', {
			method: 'POST',
			body: 'story=' + 'x'.repeat(300 * 1024),
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				'content-length': String(300 * 1024 + 6)
			}
		});
		const sent = await readValid(big, storyForm, { name: 'tellStory' });
		expect(!sent.ok && sent.failure).toMatchObject({
			status: 413,
			data: { form: 'tellStory', errors: { form: 'common.form.tooLarge' } }
		});
		expect(!sent.ok && 'values' in sent.failure.data).toBe(false);
	});

	it('counts a body sent in chunks, with no length given, as it arrives', async () => {
		const chunked = (parts: string[]) =>
			new Request('http://localhost/x', {
				method: 'POST',
				body: new ReadableStream({
					start(controller) {
						for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
						controller.close();
					}
				}),
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				duplex: 'half'
			} as RequestInit);
		const small = await readForm(chunked(['story=Told', '&needs=money']));
		expect(small.ok && small.form.getAll('needs')).toEqual(['money']);
		const large = await readForm(chunked(['story=', ...Array(300).fill('x'.repeat(1024))]));
		expect(large).toEqual({ ok: false, status: 413, error: 'common.form.tooLarge' });
	});

	it('refuses after checking beside the field, or beside the form when it is not a field', async () => {
		const sent = await readValid(post('story=Told&needs=money&passphrase=x'), storyForm, {
			secret: ['passphrase']
		});
		if (!sent.ok) throw new Error('expected a good form');
		const locked = sent.refuse('passphrase', 'signIn.errors.lockedOut', {
			status: 429,
			params: { time: '14:05' }
		});
		expect(locked).toMatchObject({
			status: 429,
			data: {
				errors: { passphrase: 'signIn.errors.lockedOut' },
				values: { story: 'Told', needs: ['money'] },
				params: { time: '14:05' }
			}
		});
		expect(locked.data.values).not.toHaveProperty('passphrase');
		expect(sent.refuse('closed', 'my.errors.closed').data.errors).toEqual({
			form: 'my.errors.closed'
		});
	});
});

describe('characters no one means to type', () => {
	const nameForm = v.object({
		name: v.pipe(v.string(), v.trim(), v.nonEmpty('refer.errors.name')),
		story: v.optional(v.string(), ''),
		passphrase: v.optional(v.string(), '')
	});
	const send = (fields: Record<string, string>) =>
		readValid(post(new URLSearchParams(fields).toString()), nameForm, { secret: ['passphrase'] });

	it('are taken out before checking, so a name of only invisible ones is no name', async () => {
		for (const invisible of ['\u200B', '\u0001', '\u202E', '\uFEFF\u202D']) {
			const sent = await send({ name: invisible });
			expect(!sent.ok && sent.failure.data.errors, JSON.stringify(invisible)).toEqual({
				name: 'refer.errors.name'
			});
		}
	});

	it('never turn a name around in the console, and leave what scripts need', async () => {
		// U+202E would show "Ana" and then "nosiK" read backwards as "Kison".
		const sent = await send({ name: 'Ana \u202EnosiK', story: 'Line one\r\nLine\ttwo' });
		expect(sent.ok && sent.output).toMatchObject({
			name: 'Ana nosiK',
			// Line breaks as the browser counted them for maxlength: one character each.
			story: 'Line one\nLine\ttwo'
		});
		// The zero-width joiner and non-joiner shape Indian scripts and Urdu; RLM marks Arabic.
		// Isolates keep a number's groups in order inside Arabic text.
		for (const name of ['क्\u200Dष', 'می\u200Cخواهم', 'سارا\u200F 2', 'رقم \u206608 08 16\u2069']) {
			const kept = await send({ name });
			expect(kept.ok && kept.output.name, name).toBe(name);
		}
	});

	it('stay in a secret, which is checked exactly as typed', async () => {
		const sent = await send({ name: 'Ana', passphrase: 'tide\u200Bharbour' });
		expect(sent.ok && sent.output.passphrase).toBe('tide\u200Bharbour');
	});
});
