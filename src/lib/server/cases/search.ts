/**
 * The reference part of a search box, if what was typed looks like (part of) a case reference:
 * upper-cased, without spaces or the hyphen, re-hyphenated after four characters. Names never
 * contain digits, and every reference has one, so a query with a digit is a reference search.
 */
export function normalizeReferenceSearch(typed: string): string | null {
	const compact = typed.toUpperCase().replace(/[\s-]/g, '');
	if (!/^[A-Z0-9]{3,8}$/.test(compact) || !/\d/.test(compact)) return null;
	return compact.length > 4 ? `${compact.slice(0, 4)}-${compact.slice(4)}` : compact;
}
