/** True when the action's answer came from the form named `name`. */
function isFrom<F extends { form?: string }, N extends string>(
	answer: F,
	name: N
): answer is Extract<F, { form?: N }> {
	return answer.form === name;
}

/**
 * What the last action answered (SvelteKit's `form`), when it came from the form named `name`:
 * on a page with several forms, each reads its own errors and values, typed by its schema.
 */
export function sentFrom<F extends { form?: string } | null | undefined, const N extends string>(
	answer: F,
	name: N
): Extract<NonNullable<F>, { form?: N }> | undefined {
	return answer && isFrom(answer, name) ? answer : undefined;
}
