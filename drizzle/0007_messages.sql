CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`side` text NOT NULL,
	`author_id` text NOT NULL,
	`body_sealed` text NOT NULL,
	`read_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `messages_case` ON `messages` (`case_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `messages_author` ON `messages` (`author_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `channel` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `last_error` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `sent_at` integer;