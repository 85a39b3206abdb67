import { expect } from '@playwright/test';
import { expectAccessible, test } from './helpers';
import { assignToCaseworker, newPerson } from './people';
import { staffPage } from './staff';

// Issue #17: a supervisor holds a case, is refused erasure while it is held, lifts the hold and
// erases it after confirming; the case's pages then say it was anonymised. The console ships no
// client code, so this runs once.
test('a supervisor holds, lifts and erases a case; its record then says it was anonymised @once', async ({
	browser
}) => {
	const person = await newPerson();
	await assignToCaseworker(person.reference);
	const supervisor = await staffPage(browser, 'supervisor');
	const base = `/staff/cases/${person.reference}`;

	await supervisor.goto(`${base}/retention`);
	await expect(
		supervisor.getByRole('heading', { name: 'When this case is anonymised' })
	).toBeVisible();
	await expectAccessible(supervisor);
	await supervisor.getByLabel('Why the record must be kept').fill('Police request 12/345');
	await supervisor.getByRole('button', { name: 'Set legal hold' }).click();
	await expect(supervisor.getByRole('status')).toContainText('Legal hold set');
	await expect(supervisor.getByRole('note').filter({ hasText: 'Legal hold since' })).toContainText(
		'Police request 12/345'
	);
	await expect(supervisor.getByText('it cannot be erased', { exact: false })).toBeVisible();

	await supervisor.getByLabel('Why the hold can be lifted').fill('Police no longer need it');
	await supervisor.getByRole('button', { name: 'Lift legal hold' }).click();
	await expect(supervisor.getByRole('status')).toContainText('Legal hold lifted');

	// The case is open: erasing closes it with the chosen outcome, after a confirmation.
	await supervisor.getByLabel('Why the case is being erased').fill('Asked by phone on 3 May');
	await supervisor.getByLabel('Close the case with the outcome').selectOption({ label: 'Other' });
	await supervisor.getByRole('button', { name: 'Continue' }).click();
	await expect(supervisor.getByRole('heading', { name: /Check before you erase/ })).toBeVisible();
	await expectAccessible(supervisor, 'confirm');
	await supervisor.getByLabel('I understand this cannot be undone').check();
	await supervisor.getByRole('button', { name: 'Erase the case' }).click();
	await expect(supervisor.getByRole('status')).toContainText('Case erased');

	// Every tab's load is checked in vitest (lifecycle.test.ts); here, that two of them render.
	for (const tab of ['', '/audit']) {
		const response = await supervisor.goto(`${base}${tab}`);
		expect(response?.status()).toBe(200);
		await expect(supervisor.getByText('This case was anonymised on')).toBeVisible();
	}
	await expect(supervisor.getByRole('cell', { name: /Asked by phone on 3 May/ })).toBeVisible();
	await supervisor.context().close();
});
