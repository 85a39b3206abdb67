import { signInAction, signInLoad } from '$lib/server/auth/sign-in-steps';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = signInLoad('partner');
export const actions: Actions = { default: signInAction('partner') };
