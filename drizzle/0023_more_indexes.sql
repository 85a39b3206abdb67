-- Indexes for statements that read a whole table (an audit of every statement's plan at 100,000
-- cases): the case a referral made, a partner worker's messages in the last minute, failures
-- past the sign-in window, and reset codes past their time.
CREATE INDEX `cases_referral` ON `cases` (`referral_id`);--> statement-breakpoint
CREATE INDEX `partner_messages_author` ON `partner_messages` (`author_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `sign_in_failures_at` ON `sign_in_failures` (`at`);--> statement-breakpoint
CREATE INDEX `users_reset_expires` ON `users` (`reset_expires_at`) WHERE reset_expires_at is not null;