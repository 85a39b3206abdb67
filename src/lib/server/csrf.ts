const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * True when a state-changing request came from another site (OWASP's Fetch Metadata defence).
 * Browsers that send `Sec-Fetch-Site` are judged by it; older ones by `Origin`, where the `null`
 * our own no-referrer pages produce is let through and SameSite=Lax cookies carry the defence.
 */
export function isCrossSite(request: Request, origin: string): boolean {
	if (!unsafeMethods.has(request.method)) return false;
	const site = request.headers.get('sec-fetch-site');
	if (site) return site !== 'same-origin' && site !== 'none';
	const from = request.headers.get('origin');
	return from !== null && from !== 'null' && from !== origin;
}
