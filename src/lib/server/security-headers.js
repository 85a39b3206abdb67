// Plain JavaScript so that server.js (which serves the built files) and the SvelteKit hook share it.

/**
 * Headers every response carries besides the CSP, which SvelteKit writes from `kit.csp`.
 * @param {URL} origin the public origin (ORIGIN); HSTS only when it is https
 * @returns {Record<string, string>}
 */
export function securityHeaders(origin) {
	/** @type {Record<string, string>} */
	const headers = {
		// Nothing about a visit leaves with a link to another site (DESIGN rule 1).
		'Referrer-Policy': 'no-referrer',
		'X-Content-Type-Options': 'nosniff',
		'X-Frame-Options': 'DENY',
		'Cross-Origin-Opener-Policy': 'same-origin',
		'Cross-Origin-Resource-Policy': 'same-origin',
		'Permissions-Policy':
			'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), browsing-topics=()'
	};
	if (origin.protocol === 'https:') {
		headers['Strict-Transport-Security'] = 'max-age=63072000; includeSubDomains';
	}
	return headers;
}
