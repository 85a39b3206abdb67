ALTER TABLE `users` ADD `reset_hash` text;--> statement-breakpoint
ALTER TABLE `users` ADD `reset_expires_at` integer;