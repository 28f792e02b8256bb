-- The outbox relay claims its rows with SELECT … FOR UPDATE SKIP LOCKED in a read-committed
-- transaction (shared/events/publisher.ts) and knows their ids from it: the claim column that its
-- UPDATE … LIMIT wrote, to read the claimed rows back, has no use left.
ALTER TABLE outbox
  DROP KEY outbox_relay_claim,
  DROP COLUMN relay_claim;
