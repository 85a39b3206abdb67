ALTER TABLE `cases` ADD `voicemail` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `say_who_we_are` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- The case becomes the one home of what the person may change later: copy the two answers only
-- the referral held. Its safe channels were already the copy /my/details kept up to date.
UPDATE `cases` SET
	`voicemail` = coalesce((select json_extract(`referrals`.`answers`, '$.voicemail') from `referrals` where `referrals`.`id` = `cases`.`referral_id`), ''),
	`say_who_we_are` = coalesce((select json_extract(`referrals`.`answers`, '$.sayWhoWeAre') from `referrals` where `referrals`.`id` = `cases`.`referral_id`), '');--> statement-breakpoint
-- The referral's answers keep what was said then and has no other home; the copies go of what
-- the case owns (routes, interpreter, consents, crime type, police report) and of `relationship`.
UPDATE `referrals` SET `answers` = json_remove(`answers`, '$.channels', '$.voicemail', '$.sayWhoWeAre', '$.interpreter', '$.consent', '$.crimeType', '$.police', '$.who');--> statement-breakpoint
-- A person's language is the case's; no one read this copy (staff pages are English).
ALTER TABLE `users` DROP COLUMN `language`;
