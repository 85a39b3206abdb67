CREATE TABLE `seed_runs` (
	`name` text PRIMARY KEY NOT NULL,
	`ran_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
