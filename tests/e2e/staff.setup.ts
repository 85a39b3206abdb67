import { test as setup } from '@playwright/test';
import { demoStaff, signInStaff, staffStatePath } from './staff';

// Each demo staff member signs in once, here, before the suite: a TOTP code is accepted once, so
// tests signing in the same account in parallel would collide and count as failed attempts.
for (const who of Object.keys(demoStaff) as (keyof typeof demoStaff)[]) {
	setup(`${who} signs in for the suite`, async ({ page }) => {
		await signInStaff(page, demoStaff[who].email, demoStaff[who].secret);
		await page.context().storageState({ path: staffStatePath(who) });
	});
}
