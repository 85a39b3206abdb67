import { verifyAction, verifyLoad } from '$lib/server/auth/sign-in-steps';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = verifyLoad('staff');
export const actions: Actions = { default: verifyAction('staff') };
