import * as v from 'valibot';

/** The largest form body we read; the longest answer (10,000 characters) fits many times over. */
export const maxFormBytes = 256 * 1024;

export type FieldErrors = Record<string, string>;

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

/** Reads a form body: refused as too large (413) or unparseable (400), never as an empty form. */
export async function readForm(request: Request): Promise<FormBody> {
	const length = Number(request.headers.get('content-length') ?? 0);
	if (length > maxFormBytes) return { ok: false, ...unreadableBody.tooLarge };
	try {
		return { ok: true, form: await request.formData() };
	} catch {
		return { ok: false, ...unreadableBody.unparseable };
	}
}

/**
 * The form as a plain object for a schema: text fields as strings (a file in a text field is
 * refused by the schema as a non-string), the named list fields as arrays.
 */
export function formObject(
	form: FormData,
	fields: readonly string[],
	lists: readonly string[] = []
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const name of fields) {
		if (lists.includes(name)) out[name] = form.getAll(name);
		else out[name] = form.get(name) ?? '';
	}
	return out;
}

/** Valibot issues as `{ fieldId: messageKey }`, first problem per field. */
export function fieldErrors(issues: readonly v.BaseIssue<unknown>[]): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of issues) {
		const path = v.getDotPath(issue) ?? 'form';
		errors[path] ??= issue.message;
	}
	return errors;
}

/** What a form sent back for re-display: text only, nothing that could not be shown. */
export function redisplayValues(input: Record<string, unknown>): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [key, value] of Object.entries(input)) {
		if (typeof value === 'string') out[key] = value;
		else if (Array.isArray(value)) out[key] = value.filter((x) => typeof x === 'string');
	}
	return out;
}

export type Parsed<T> =
	| { ok: true; output: T; values: Record<string, string | string[]> }
	| {
			ok: false;
			status: 400 | 413;
			errors: FieldErrors;
			values: Record<string, string | string[]>;
	  };

/**
 * Checks a posted form (from `readForm`) against its schema: the output, or a 400 (413 when too
 * large) with an i18n key per field and the values to show again. A body that could not be read
 * is a 400 (or 413) with one error for the whole form, `form`, and nothing to show again.
 */
export function parseForm<T extends v.GenericSchema>(
	body: FormBody,
	schema: T,
	fields: readonly string[],
	lists: readonly string[] = []
): Parsed<v.InferOutput<T>> {
	if (!body.ok) return { ok: false, status: body.status, errors: { form: body.error }, values: {} };
	const input = formObject(body.form, fields, lists);
	const parsed = v.safeParse(schema, input);
	if (parsed.success) return { ok: true, output: parsed.output, values: redisplayValues(input) };
	return {
		ok: false,
		status: 400,
		errors: fieldErrors(parsed.issues),
		values: redisplayValues(input)
	};
}
