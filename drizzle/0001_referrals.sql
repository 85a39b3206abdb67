CREATE TABLE `case_events` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`kind` text NOT NULL,
	`visible_to_person` integer NOT NULL,
	`params` text,
	`actor_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `cases` (
	`id` text PRIMARY KEY NOT NULL,
	`reference` text NOT NULL,
	`referral_id` text NOT NULL,
	`person_id` text NOT NULL,
	`caseworker_id` text,
	`status` text DEFAULT 'new' NOT NULL,
	`priority` integer NOT NULL,
	`priority_reasons` text NOT NULL,
	`crime_type` text NOT NULL,
	`police_reported` text NOT NULL,
	`needs` text NOT NULL,
	`safe_channels` text NOT NULL,
	`language` text NOT NULL,
	`interpreter` integer NOT NULL,
	`consent_share` integer NOT NULL,
	`consent_police` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`referral_id`) REFERENCES `referrals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`caseworker_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_reference_unique` ON `cases` (`reference`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`audience` text NOT NULL,
	`case_id` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `referral_drafts` (
	`id` text PRIMARY KEY NOT NULL,
	`answers_sealed` text,
	`passphrase_hash` text,
	`case_id` text,
	`updated_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `referrals` (
	`id` text PRIMARY KEY NOT NULL,
	`draft_id` text NOT NULL,
	`relationship` text NOT NULL,
	`account_sealed` text,
	`names_sealed` text,
	`contact_sealed` text,
	`crime_reference_sealed` text,
	`access_needs_sealed` text,
	`answers` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referrals_draft_id_unique` ON `referrals` (`draft_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`secret_hash` text,
	`name_sealed` text,
	`language` text DEFAULT 'en' NOT NULL,
	`created_at` integer NOT NULL
);
