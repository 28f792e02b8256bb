-- The outbox relay (shared/events/publisher.ts) claims the rows it sends: `relay_claim` names the
-- round that took them, so relays that overlap (a schedule's next run starting before the last
-- ends) never send one row twice, and a failed send gives exactly its own rows back.
ALTER TABLE outbox
  ADD COLUMN relay_claim CHAR(16) NULL AFTER published_at,
  ADD KEY outbox_relay_claim (relay_claim);
