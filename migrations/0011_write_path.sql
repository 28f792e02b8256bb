-- The write path (issue 9).
--
-- The outbox relay (shared/events/publisher.ts) claims the rows it sends: `relay_claim` names the
-- round that took them, so relays that overlap (a schedule's next run starting before the last
-- ends) never send one row twice, and a failed send gives exactly its own rows back.
ALTER TABLE outbox
  ADD COLUMN relay_claim CHAR(16) NULL AFTER published_at,
  ADD KEY outbox_relay_claim (relay_claim);

-- When the session last wrote: for a few seconds after, its reads go to the primary
-- (read-your-writes across requests), learnt by the session lookup every request makes anyway.
ALTER TABLE session
  ADD COLUMN wrote_at DATETIME(3) NULL AFTER last_active_at;

-- Failed authentications per address and minute (shared/http/auth-failures.ts): on the database
-- rather than in memcached so that the session lookup reads the count in the same statement, and
-- checking it costs an authenticated request no round trip. Old minutes go with the retention.
CREATE TABLE auth_failure (
  ip        VARCHAR(45) NOT NULL,
  minute    INT UNSIGNED NOT NULL,
  failures  INT UNSIGNED NOT NULL,
  PRIMARY KEY (ip, minute)
) ENGINE=InnoDB DEFAULT CHARSET=ascii;
