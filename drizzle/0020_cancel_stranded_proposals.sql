-- A partner referral still waiting for the person's answer on a case already closed could never
-- be answered (a closed case changes no more): it ends as closing a case now ends it.
UPDATE `partner_referrals` SET `status` = 'cancelled', `updated_at` = CAST(strftime('%s', 'now') AS INTEGER) * 1000 WHERE `status` = 'proposed' AND `case_id` IN (SELECT `id` FROM `cases` WHERE `status` = 'closed');
