CREATE TABLE `case_name_tokens` (
	`token` text NOT NULL,
	`case_id` text NOT NULL,
	PRIMARY KEY(`token`, `case_id`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `case_name_tokens_case` ON `case_name_tokens` (`case_id`);--> statement-breakpoint
ALTER TABLE `cases` ADD `first_contact_due_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `name_index_key` text;--> statement-breakpoint
CREATE INDEX `cases_queue_open` ON `cases` (priority desc,`created_at`,`id`) WHERE status <> 'closed';--> statement-breakpoint
CREATE INDEX `cases_queue_unassigned` ON `cases` (priority desc,`created_at`,`id`) WHERE status <> 'closed' and coalesce(caseworker_id, '') = '';--> statement-breakpoint
CREATE INDEX `cases_queue_status` ON `cases` (`status`,priority desc,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `cases_first_contact_due` ON `cases` (`first_contact_due_at`) WHERE status <> 'closed' and first_contact_at is null;--> statement-breakpoint
CREATE INDEX `cases_name_index_key` ON `cases` (`name_index_key`);--> statement-breakpoint
CREATE INDEX `cases_due_missing` ON `cases` (`id`) WHERE first_contact_due_at is null;