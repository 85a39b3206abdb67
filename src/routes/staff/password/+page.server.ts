import { passwordAction, passwordLoad } from '$lib/server/auth/work-password';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = passwordLoad('staff');
export const actions: Actions = { default: passwordAction('staff') };
