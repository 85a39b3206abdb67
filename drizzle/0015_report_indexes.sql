CREATE INDEX `cases_crime_type` ON `cases` (`crime_type`);--> statement-breakpoint
CREATE INDEX `cases_outcome` ON `cases` (`outcome`);--> statement-breakpoint
CREATE INDEX `cases_created` ON `cases` (`created_at`);--> statement-breakpoint
CREATE INDEX `cases_anonymised` ON `cases` (`anonymised_at`) WHERE anonymised_at is not null;--> statement-breakpoint
CREATE INDEX `cases_legal_hold` ON `cases` (`legal_hold_at`) WHERE legal_hold_at is not null;