import { verifyAction, verifyLoad } from '$lib/server/auth/sign-in-steps';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = verifyLoad('partner');
export const actions: Actions = { default: verifyAction('partner') };
