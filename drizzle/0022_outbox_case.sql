-- A case's own notices by index: every change to a case asks whether a "something new" still
-- waits to go, and anonymising a case deletes its notices; both read every pending (or every)
-- row without it.
CREATE INDEX `outbox_case` ON `outbox` (`case_id`,`kind`);
