CREATE INDEX `cases_report` ON `cases` (`created_at`,`crime_type`,`outcome`);--> statement-breakpoint
CREATE INDEX `cases_anonymised` ON `cases` (`anonymised_at`) WHERE anonymised_at is not null;--> statement-breakpoint
CREATE INDEX `cases_legal_hold` ON `cases` (`legal_hold_at`) WHERE legal_hold_at is not null;