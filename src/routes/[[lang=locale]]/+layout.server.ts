import { exitNoticeCookie } from '$lib/server/exit-notice';
import type { LayoutServerLoad } from './$types';

// The people's shell: whether to show the first-visit notice about leaving quickly, and the
// account links of a signed-in person.
export const load: LayoutServerLoad = ({ cookies, locals }) => ({
	showExitNotice: cookies.get(exitNoticeCookie) !== 'seen',
	signedIn: locals.user?.role === 'person'
});
