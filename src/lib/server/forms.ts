import { fail, type ActionFailure } from '@sveltejs/kit';
import * as v from 'valibot';

/** The largest form body we read; the longest answer (10,000 characters) fits many times over. */
export const maxFormBytes = 256 * 1024;

/** Why a body could not be read as a form: an i18n key every page can show in its error summary. */
export const unreadableBody = {
	tooLarge: { status: 413, error: 'common.form.tooLarge' },
	unparseable: { status: 400, error: 'common.form.unreadable' }
} as const;

/**
 * A posted body: the form, or why it could not be read. An unparseable body (a multipart body
 * with the wrong boundary, a truncated one) is bad input, not an empty form (DESIGN rule 6), so
 * no action may read it as "every answer left blank"; the type makes each caller handle it.
 */
export type FormBody =
	| { ok: true; form: FormData }
	| {
			ok: false;
			status: 400 | 413;
			error: (typeof unreadableBody)[keyof typeof unreadableBody]['error'];
	  };

/**
 * Reads a body to its end (or to the server's own limit, BODY_SIZE_LIMIT, where adapter-node
 * stops it) and answers how many bytes came, keeping them only up to `keep`.
 */
async function readCounted(request: Request, keep: number) {
	const kept: Uint8Array<ArrayBuffer>[] = [];
	let size = 0;
	let broken = false;
	const reader = request.body?.getReader();
	try {
		for (;;) {
			const chunk = await reader?.read();
			if (!chunk || chunk.done) break;
			size += chunk.value.byteLength;
			if (size <= keep) kept.push(chunk.value);
		}
	} catch {
		broken = true; // past the server's limit, or the connection was cut
	}
	return { kept, size, broken };
}

/**
 * Reads what is left of a body and lets it go. A body answered unread stays on the browser's
 * kept-open connection, which the next request then finds reset (the server's `wholeBody` hook).
 */
export async function readToEnd(request: Request): Promise<void> {
	await readCounted(request, 0);
}

/** Reads a form body: refused as too large (413) or unparseable (400), never as an empty form. */
export async function readForm(request: Request): Promise<FormBody> {
	const declared = request.headers.get('content-length');
	if (declared === null && request.body) {
		// Sent in chunks, so its size is known only once read: counted as it comes.
		const { kept, size, broken } = await readCounted(request, maxFormBytes);
		if (size > maxFormBytes) return { ok: false, ...unreadableBody.tooLarge };
		if (broken) return { ok: false, ...unreadableBody.unparseable };
		request = new Request(request.url, {
			method: 'POST',
			headers: { 'content-type': request.headers.get('content-type') ?? '' },
			body: new Blob(kept)
		});
	} else if (Number(declared) > maxFormBytes) {
		// Not kept; the server's `wholeBody` hook reads it to its end before the answer goes.
		return { ok: false, ...unreadableBody.tooLarge };
	}
	try {
		return { ok: true, form: await request.formData() };
	} catch {
		return { ok: false, ...unreadableBody.unparseable };
	}
}

/** A schema whose keys are a form's fields: a `v.object`, or a `v.pipe` starting with one. */
type ObjectForm = { readonly entries: v.ObjectEntries };

/**
 * A form's schema: a valibot `v.object` (or a `v.pipe` starting with one), whose keys are its
 * fields, or a `v.intersect` of them (the fields of each).
 */
export type FormSchema = v.GenericSchema &
	(ObjectForm | { readonly options: readonly ObjectForm[] });

/** The field names of one object schema. */
type ObjectField<S> = S extends { readonly entries: infer E } ? keyof E & string : never;

/** The field names of a form schema (of each, for a union of schemas). */
export type Field<S> = S extends { readonly options: readonly (infer O)[] }
	? ObjectField<O>
	: ObjectField<S>;

type ObjectEntryInput<S, K> = S extends { readonly entries: infer E extends v.ObjectEntries }
	? K extends keyof E
		? v.InferInput<E[K]>
		: never
	: never;

type EntryInput<S, K> = S extends { readonly options: readonly (infer O)[] }
	? ObjectEntryInput<O, K>
	: ObjectEntryInput<S, K>;

/** What went wrong, per field: an i18n key; `form` for the form as a whole. */
export type FormErrors<S> = { [K in Field<S> | 'form']?: string };

/** What was sent, to show again: text as a string, a list field (checkboxes) as a list. */
export type FormValues<S> = {
	[K in Field<S>]?: NonNullable<EntryInput<S, K>> extends readonly unknown[] ? string[] : string;
};

/**
 * What a refused form sends back to its page (SvelteKit's `form`, typed through `ActionData`):
 * the form's name on a page with several, the errors, the values to show again, and the
 * placeholders some messages fill in (a lockout's end: `{ time }`).
 */
export type Refused<S, N extends string | undefined = undefined> = {
	form?: N;
	errors: FormErrors<S>;
	/** What to show again; none when the body could not be read (the page shows what it had). */
	values?: FormValues<S>;
	params?: Record<string, string>;
};

/** The answer of `readValid`: the checked input, or the failure the action returns as it is. */
export type Sent<S extends FormSchema, N extends string | undefined> =
	| {
			ok: true;
			output: v.InferOutput<S>;
			values: FormValues<S>;
			/**
			 * The form refused after checking (a wrong passphrase, a closed case): `error` beside
			 * `field` (beside the whole form when `field` is not one of its fields), the values kept.
			 */
			refuse(
				field: string,
				error: string,
				more?: { status?: 400 | 429; params?: Record<string, string> }
			): ActionFailure<Refused<S, N>>;
	  }
	| { ok: false; failure: ActionFailure<Refused<S, N>> };

/** The kind of a schema under its optional/nullable wrappers: `array` for a list field. */
function kindOf(schema: object): unknown {
	let inner = schema;
	while ('wrapped' in inner && typeof inner.wrapped === 'object' && inner.wrapped)
		inner = inner.wrapped;
	return 'type' in inner ? inner.type : undefined;
}

/** A form's fields, from its schema: each entry's name, and whether it is a list (an array). */
export function formFields(schema: FormSchema | ObjectForm): { name: string; list: boolean }[] {
	if ('options' in schema) return schema.options.flatMap((option) => formFields(option));
	return Object.entries(schema.entries).map(([name, entry]) => ({
		name,
		list: kindOf(entry) === 'array'
	}));
}

/**
 * Characters no one means to type, which would be stored and shown to others: control characters
 * (all but tab and line breaks), the bidi embeddings and overrides (U+202A–U+202E: an override
 * can make a name read backwards in the console), the zero-width space, word joiner and
 * byte-order mark. What right-to-left writing needs stays: the bidi isolates (U+2066–U+2069, which
 * keep a phone number's groups in order inside Arabic text), the LRM and RLM marks, and the
 * zero-width joiner and non-joiner that Indian scripts and Urdu need.
 */
const unseen =
	// eslint-disable-next-line no-control-regex
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u202A-\u202E\u2060\uFEFF]/g;

/**
 * A typed value without the characters no one means to type (`unseen`), its line breaks as
 * `\n`: browsers send a textarea's as CRLF, but count them as one character for `maxlength`.
 */
const clean = (value: FormDataEntryValue) =>
	typeof value === 'string' ? value.replace(unseen, '').replace(/\r\n?/g, '\n') : value;

/**
 * The form as a plain object for its schema: text fields as strings (a file in a text field is
 * refused by the schema as a non-string), list fields as arrays, without unseen characters but in
 * the `secret` fields, which are checked exactly as typed.
 */
function formObject(
	form: FormData,
	fields: { name: string; list: boolean }[],
	secret: readonly string[]
) {
	const out: Record<string, unknown> = {};
	for (const { name, list } of fields) {
		const tidy = secret.includes(name) ? (value: FormDataEntryValue) => value : clean;
		out[name] = list ? form.getAll(name).map(tidy) : tidy(form.get(name) ?? '');
	}
	return out;
}

/**
 * Reads a posted form and checks it against its schema: the fields are the schema's own. Bad
 * input is a `fail(400)` (413 for a body too large) naming the form `name`, with an i18n key per
 * field and the values to show again (never the `secret` ones); an unreadable body is one error
 * for the whole form, `form`, and nothing to show again.
 */
export async function readValid<
	S extends FormSchema,
	const N extends string | undefined = undefined
>(
	request: Request,
	schema: S,
	options: { name?: N; secret?: readonly Field<S>[] } = {}
): Promise<Sent<S, N>> {
	return checkForm(await readForm(request), schema, options);
}

/** `readValid` for a body already read (`readForm`): checked against its schema the same way. */
export function checkForm<S extends FormSchema, const N extends string | undefined = undefined>(
	body: FormBody,
	schema: S,
	{ name, secret = [] }: { name?: N; secret?: readonly Field<S>[] } = {}
): Sent<S, N> {
	const named: { form?: N } = name === undefined ? {} : { form: name };
	if (!body.ok) {
		const errors: FormErrors<S> = {};
		errors.form = body.error;
		const refused: Refused<S, N> = { ...named, errors };
		return { ok: false, failure: fail<Refused<S, N>>(body.status, refused) };
	}
	const fields = formFields(schema);
	const input = formObject(body.form, fields, secret);
	const values: FormValues<S> = {};
	const shown: Record<string, unknown> = values;
	// Text only, never a secret: a file in a text field has nothing to show again.
	for (const { name: field } of fields) {
		const value = input[field];
		if (secret.some((s) => s === field)) continue;
		if (typeof value === 'string') shown[field] = value;
		else if (Array.isArray(value)) shown[field] = value.filter((x) => typeof x === 'string');
	}
	const isField = (field: string): field is Field<S> => fields.some((f) => f.name === field);
	const parsed = v.safeParse(schema, input);
	if (!parsed.success) {
		const errors: FormErrors<S> = {};
		for (const issue of parsed.issues) {
			// A wrong item in a list (`needs.0`) is the list's error.
			const path = String(issue.path?.[0]?.key ?? 'form');
			const field = isField(path) ? path : 'form';
			errors[field] ??= issue.message;
		}
		const refused: Refused<S, N> = { ...named, errors, values };
		return { ok: false, failure: fail<Refused<S, N>>(400, refused) };
	}
	return {
		ok: true,
		output: parsed.output,
		values,
		refuse(field, error, { status = 400, params } = {}) {
			const errors: FormErrors<S> = {};
			errors[isField(field) ? field : 'form'] = error;
			const refused: Refused<S, N> = { ...named, errors, values, ...(params && { params }) };
			return fail<Refused<S, N>>(status, refused);
		}
	};
}
