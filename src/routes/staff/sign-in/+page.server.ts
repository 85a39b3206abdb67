import { signInAction, signInLoad } from '$lib/server/auth/sign-in-steps';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = signInLoad('staff');
export const actions: Actions = { default: signInAction('staff') };
