-- The outbox is the source of truth for notifications: `processed_at` is set by the consumer in the
-- transaction that inserts an event's jobs, so an event published but never turned into jobs (its
-- message lost with the queue) is found and published again. `claim` names the delivery that
-- claimed a job, so that one UPDATE claims a whole batch and the claimer can read back which.

ALTER TABLE outbox
  ADD COLUMN processed_at DATETIME(3) NULL AFTER published_at,
  ADD KEY outbox_unprocessed (processed_at, id);

-- Events published before this migration went through the old pipeline: the reconciler looks forward only.
UPDATE outbox SET processed_at = published_at WHERE published_at IS NOT NULL;

ALTER TABLE notification_job
  ADD COLUMN claim CHAR(16) NULL AFTER attempts;
