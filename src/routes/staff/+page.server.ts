import { requireStaff } from '$lib/server/auth';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const user = requireStaff(event);
	return { role: user.role };
};
