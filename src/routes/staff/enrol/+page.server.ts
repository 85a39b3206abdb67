import { enrolAction, enrolLoad } from '$lib/server/auth/sign-in-steps';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = enrolLoad('staff');
export const actions: Actions = { default: enrolAction('staff') };
