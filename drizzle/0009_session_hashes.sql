-- Sessions now keep only SHA-256 hashes of their ids and grants. SQLite cannot hash the old rows'
-- raw ids, so they are not copied: every existing session ends and people sign in again.
-- (drizzle-kit's generated INSERT ... SELECT of the old rows is left out on purpose.)
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`grant_hash` text,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`second_factor_pending` integer DEFAULT false NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
DROP TABLE `sessions`;--> statement-breakpoint
ALTER TABLE `__new_sessions` RENAME TO `sessions`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_grant_hash_unique` ON `sessions` (`grant_hash`);