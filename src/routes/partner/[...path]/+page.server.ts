import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

// An address under /partner that matches no page is "not found" inside the partner area's shell.
export const load: PageServerLoad = () => error(404, 'Not found');
