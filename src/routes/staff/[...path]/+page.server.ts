import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

// An address under /staff that matches no page is "not found" inside the console's shell.
export const load: PageServerLoad = () => error(404, 'Not found');
