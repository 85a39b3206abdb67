CREATE INDEX `cases_id_queue` ON `cases` (`id`,`status`,`priority`,`created_at`);--> statement-breakpoint
CREATE INDEX `users_role` ON `users` (`role`,`email`);