/**
 * A place on this site to send someone back to after a form (sign-out, the quick-exit notice),
 * from a path they sent us: the path as it resolves here, or the home page. Never an open
 * redirect (OWASP ASVS 5.1.5): the value is resolved the way a browser resolves a `Location`
 * (tabs and newlines dropped, `\` read as `/`, `//host` read as another host), and only a path
 * that lands on our own origin is kept. What goes back is that resolved path, not the raw text,
 * so the browser follows exactly what was checked.
 */
export function safeReturnPath(value: unknown, origin: string): string {
	if (typeof value !== 'string' || !value.startsWith('/')) return '/';
	let resolved: URL;
	try {
		resolved = new URL(value, origin);
	} catch {
		return '/';
	}
	if (resolved.origin !== new URL(origin).origin) return '/';
	const path = resolved.pathname + resolved.search + resolved.hash;
	// `/.//evil` resolves here to the path `//evil`, which a browser reads as another host.
	if (!path.startsWith('/') || path.startsWith('//')) return '/';
	return path;
}
