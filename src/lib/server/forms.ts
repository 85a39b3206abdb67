import * as v from 'valibot';

/** The largest form body we read; the longest answer (10,000 characters) fits many times over. */
export const maxFormBytes = 256 * 1024;

export type FieldErrors = Record<string, string>;

/** A form body, or `tooLarge` when the request says it is bigger than we accept (a 413). */
export async function readForm(request: Request): Promise<FormData | 'tooLarge'> {
	const length = Number(request.headers.get('content-length') ?? 0);
	if (length > maxFormBytes) return 'tooLarge';
	try {
		return await request.formData();
	} catch {
		return new FormData();
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
 * large) with an i18n key per field and the values to show again.
 */
export function parseForm<T extends v.GenericSchema>(
	form: FormData | 'tooLarge',
	schema: T,
	fields: readonly string[],
	lists: readonly string[] = []
): Parsed<v.InferOutput<T>> {
	if (form === 'tooLarge') {
		return { ok: false, status: 413, errors: { form: 'common.form.tooLarge' }, values: {} };
	}
	const input = formObject(form, fields, lists);
	const parsed = v.safeParse(schema, input);
	if (parsed.success) return { ok: true, output: parsed.output, values: redisplayValues(input) };
	return {
		ok: false,
		status: 400,
		errors: fieldErrors(parsed.issues),
		values: redisplayValues(input)
	};
}
