/** What an action sent back for re-display: errors keyed by field id, and the values typed. */
export function formState(form: unknown): {
	errors: Record<string, string>;
	values: Record<string, string | string[]>;
} {
	const returned = (form ?? {}) as { errors?: unknown; values?: unknown };
	return {
		errors: (returned.errors ?? {}) as Record<string, string>,
		values: (returned.values ?? {}) as Record<string, string | string[]>
	};
}
