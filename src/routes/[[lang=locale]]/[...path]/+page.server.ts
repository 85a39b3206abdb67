import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

// An address that matches no page is "not found" inside the people's shell, in the language of
// its prefix (`/pl/no-such-page` answers in Polish) and with the quick exit, rather than on the
// bare last-resort error page.
export const load: PageServerLoad = () => error(404, 'Not found');
