CREATE INDEX `referral_drafts_expires` ON `referral_drafts` (`expires_at`);--> statement-breakpoint
CREATE INDEX `referral_drafts_case` ON `referral_drafts` (`case_id`) WHERE case_id is not null;