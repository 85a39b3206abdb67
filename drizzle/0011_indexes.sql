CREATE INDEX `cases_person` ON `cases` (`person_id`);--> statement-breakpoint
CREATE INDEX `cases_caseworker` ON `cases` (`caseworker_id`,`status`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);