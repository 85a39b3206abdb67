ALTER TABLE `cases` ADD `erased_at` integer;--> statement-breakpoint
CREATE INDEX `cases_erased` ON `cases` (`erased_at`) WHERE erased_at is not null;--> statement-breakpoint
-- Cases erased before this column existed: their audit row says when.
UPDATE `cases` SET `erased_at` = (SELECT max(`at`) FROM `audit_log` WHERE `audit_log`.`action` = 'case_erased' AND `audit_log`.`case_id` = `cases`.`id`) WHERE `anonymised_at` IS NOT NULL;
