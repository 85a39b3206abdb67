CREATE TABLE `audit_chain_anchor` (
	`id` integer PRIMARY KEY NOT NULL,
	`through_id` integer NOT NULL,
	`hash` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `audit_log` ADD `detail` text;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `hash` text;--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
ALTER TABLE `cases` ADD `legal_hold_reason` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `legal_hold_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `legal_hold_by` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `cases` ADD `anonymised_at` integer;--> statement-breakpoint
CREATE INDEX `cases_retention` ON `cases` (`closed_at`) WHERE status = 'closed' and anonymised_at is null;