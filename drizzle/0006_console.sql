CREATE TABLE `court_hearings` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`court_id` text NOT NULL,
	`starts_at` integer NOT NULL,
	`type` text NOT NULL,
	`actor_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`court_id`) REFERENCES `courts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `court_hearings_case` ON `court_hearings` (`case_id`,`starts_at`);--> statement-breakpoint
CREATE TABLE `courts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`address` text NOT NULL,
	`travel` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `partner_agencies` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`does` text NOT NULL,
	`helps_with` text NOT NULL,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE `partner_referrals` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`agency_id` text NOT NULL,
	`reason_sealed` text NOT NULL,
	`status` text DEFAULT 'sent' NOT NULL,
	`actor_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agency_id`) REFERENCES `partner_agencies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `partner_referrals_case` ON `partner_referrals` (`case_id`);--> statement-breakpoint
ALTER TABLE `cases` ADD `first_contact_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `risk_level` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `dash_score` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `dash_sealed` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `dash_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `outcome` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `closed_at` integer;--> statement-breakpoint
CREATE INDEX `case_events_case` ON `case_events` (`case_id`,`created_at`);