CREATE TABLE `court_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`kind` text NOT NULL,
	`details_sealed` text NOT NULL,
	`done_at` integer,
	`done_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`done_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `court_requests_case` ON `court_requests` (`case_id`);--> statement-breakpoint
ALTER TABLE `cases` ADD `court_checklist` text DEFAULT '[]' NOT NULL;