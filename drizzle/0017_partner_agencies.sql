CREATE TABLE `partner_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_referral_id` text NOT NULL,
	`side` text NOT NULL,
	`author_id` text NOT NULL,
	`body_sealed` text NOT NULL,
	`read_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`partner_referral_id`) REFERENCES `partner_referrals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `partner_messages_referral` ON `partner_messages` (`partner_referral_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `sign_in_organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`issuer` text NOT NULL,
	`client_id` text NOT NULL,
	`client_secret_sealed` text,
	`email_domains` text NOT NULL,
	`agency_id` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`agency_id`) REFERENCES `partner_agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_partner_referrals` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`agency_id` text NOT NULL,
	`reason_sealed` text NOT NULL,
	`summary_sealed` text,
	`status` text DEFAULT 'proposed' NOT NULL,
	`consent_basis` text,
	`consent_note_sealed` text,
	`consent_at` integer,
	`consent_by` text,
	`override_basis` text,
	`override_reason_sealed` text,
	`sent_at` integer,
	`partner_user_id` text,
	`partner_worker_sealed` text,
	`decline_reason_sealed` text,
	`outcome` text,
	`withdrawn_at` integer,
	`actor_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agency_id`) REFERENCES `partner_agencies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`consent_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_partner_referrals`("id", "case_id", "agency_id", "reason_sealed", "status", "actor_id", "created_at", "updated_at") SELECT "id", "case_id", "agency_id", "reason_sealed", "status", "actor_id", "created_at", "updated_at" FROM `partner_referrals`;--> statement-breakpoint
DROP TABLE `partner_referrals`;--> statement-breakpoint
ALTER TABLE `__new_partner_referrals` RENAME TO `partner_referrals`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `partner_referrals_case` ON `partner_referrals` (`case_id`);--> statement-breakpoint
CREATE INDEX `partner_referrals_agency` ON `partner_referrals` (`agency_id`,`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `partner_referrals_override` ON `partner_referrals` (`consent_at`) WHERE consent_basis = 'override';--> statement-breakpoint
ALTER TABLE `cases` ADD `source` text DEFAULT 'self' NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `referrer_kind` text;--> statement-breakpoint
ALTER TABLE `partner_agencies` ADD `inbox_email` text;--> statement-breakpoint
ALTER TABLE `referrals` ADD `source` text DEFAULT 'self' NOT NULL;--> statement-breakpoint
ALTER TABLE `referrals` ADD `referrer_kind` text;--> statement-breakpoint
ALTER TABLE `referrals` ADD `referrer_sealed` text;--> statement-breakpoint
ALTER TABLE `referrals` ADD `person_agreed` text;--> statement-breakpoint
ALTER TABLE `users` ADD `agency_id` text REFERENCES partner_agencies(id);--> statement-breakpoint
ALTER TABLE `users` ADD `partner_admin` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `oidc_issuer` text;--> statement-breakpoint
ALTER TABLE `users` ADD `oidc_subject` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_oidc` ON `users` (`oidc_issuer`,`oidc_subject`);--> statement-breakpoint
CREATE INDEX `users_agency` ON `users` (`agency_id`,`role`);--> statement-breakpoint
UPDATE `referrals` SET `source` = 'family' WHERE `relationship` = 'family';--> statement-breakpoint
UPDATE `cases` SET `source` = 'family' WHERE `referral_id` IN (SELECT `id` FROM `referrals` WHERE `relationship` = 'family');--> statement-breakpoint
UPDATE `partner_referrals` SET `sent_at` = `created_at` WHERE `status` <> 'proposed';
