/**
 * The part of a search that could be (part of) a case reference: upper-cased, without spaces or
 * the hyphen; null when it cannot be one. References need not contain a digit, so a search is
 * matched against references and names both.
 */
export function referenceFragment(typed: string): string | null {
	const compact = typed.toUpperCase().replace(/[\s-]/g, '');
	return /^[A-Z0-9]{3,8}$/.test(compact) ? compact : null;
}

/** Whether a case matches the search box: part of its reference, or part of a name on it. */
export function matchesSearch(query: string, reference: string, name: string): boolean {
	const typed = query.trim();
	if (!typed) return true;
	const fragment = referenceFragment(typed);
	if (fragment && reference.replace('-', '').includes(fragment)) return true;
	return name.toLocaleLowerCase().includes(typed.toLocaleLowerCase());
}
