/**
 * This page's address without `expired`, the flag that says the earlier answers were deleted: a
 * form posts there, so a refused answer does not repeat it (`change` and the rest are kept).
 */
export function withoutExpired(url: URL): string {
	const kept = new URLSearchParams(url.search);
	kept.delete('expired');
	const search = kept.toString();
	return search ? `${url.pathname}?${search}` : url.pathname;
}
