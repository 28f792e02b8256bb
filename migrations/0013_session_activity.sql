-- A session's activity update (`UPDATE session SET last_active_at`, once a minute, beside the
-- request) took a shared lock on its account row: `last_active_at` was the second column of the
-- index the foreign key to `account` uses, so changing it re-checked the key. A money transaction
-- of the same account holds that row and ends by marking the session (`wrote_at`): the two locked
-- in opposite orders, and InnoDB broke each such cycle by rolling one of them back (under the
-- bench, the activity update, often).
-- The key gets an index of its own column, which the activity update leaves alone.
ALTER TABLE session
  ADD KEY session_account (account_id),
  DROP KEY session_account_active;
