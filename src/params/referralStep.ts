import type { ParamMatcher } from '@sveltejs/kit';
import { isStep } from '$lib/referral/steps';

export const match: ParamMatcher = (param) => isStep(param);
