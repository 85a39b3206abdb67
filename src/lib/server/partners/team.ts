import type { RequestEvent } from '@sveltejs/kit';
import { readValid } from '$lib/server/forms';
import { resetSignInForm } from '$lib/server/auth/work-password';
import { addWorkerForm, workerRowForm } from './schemas';
import * as workers from './workers';

// The team actions, the same for our admins (any agency) and an agency's partner-admin (their
// own): the route's guard decides who the manager is and which agency they may manage.

/** Adds a worker to `agencyId` from the posted form. */
export async function addWorker(
	event: RequestEvent,
	manager: workers.WorkerManager,
	agencyId: string
) {
	const sent = await readValid(event.request, addWorkerForm, {
		name: 'addWorker',
		secret: ['password']
	});
	if (!sent.ok) return sent.failure;
	const added = await workers.add(manager, agencyId, {
		...sent.output,
		partnerAdmin: sent.output.partnerAdmin === 'yes'
	});
	if (added !== 'created') {
		return sent.refuse(
			'email',
			`staff.partnerArea.errors.${added === 'emailTaken' ? 'emailTaken' : 'notChanged'}`
		);
	}
	return { form: 'addWorker' as const, done: 'staff.partnerArea.done.added' };
}

/** Deactivates one of `agencyId`'s workers named by the posted row; their sessions end. */
export async function deactivateWorker(
	event: RequestEvent,
	manager: workers.WorkerManager,
	agencyId: string
) {
	const sent = await readValid(event.request, workerRowForm, { name: 'deactivateWorker' });
	if (!sent.ok) return sent.failure;
	if (!workers.deactivate(manager, agencyId, sent.output.id)) {
		return sent.refuse('form', 'staff.partnerArea.errors.notChanged');
	}
	return { form: 'deactivateWorker' as const, done: 'staff.partnerArea.done.deactivated' };
}

/** Resets the sign-in of one of `agencyId`'s workers: a new first password, the app set up again. */
export async function resetWorker(
	event: RequestEvent,
	manager: workers.WorkerManager,
	agencyId: string
) {
	const sent = await readValid(event.request, resetSignInForm, {
		name: 'resetWorker',
		secret: ['firstPassword']
	});
	if (!sent.ok) return sent.failure;
	const { account, firstPassword } = sent.output;
	if (!(await workers.resetSignIn(manager, agencyId, account, firstPassword))) {
		return sent.refuse('account', 'staff.resetSignIn.errors.notChanged');
	}
	return { form: 'resetWorker' as const, done: 'staff.resetSignIn.done' };
}
