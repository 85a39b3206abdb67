import type { ParamMatcher } from '@sveltejs/kit';

/** The parts of their details a person can change, one page each. */
export const match: ParamMatcher = (param) =>
	param === 'contact' || param === 'language' || param === 'consent';
