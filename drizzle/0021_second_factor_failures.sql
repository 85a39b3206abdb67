-- Wrong second-factor codes in a row per worker: at 100 their codes stop working until their
-- sign-in is reset (NIST SP 800-63B §5.2.2). Everyone starts from none.
ALTER TABLE `users` ADD `second_factor_failures` integer DEFAULT 0 NOT NULL;
