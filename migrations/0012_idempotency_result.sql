-- A keyed request's first outcome is now what its domain transaction returned, or the domain's
-- refusal (code, message, details), v8-serialised (shared/db/idempotency-outcome.ts): a repeat
-- builds its answer from it as the first request did, so the HTTP status and body are not kept.
-- Rows written before this have no outcome; a repeat of one is refused (shared/db/idempotency-keys.ts).
ALTER TABLE idempotency_key
  DROP COLUMN status,
  DROP COLUMN response,
  ADD COLUMN outcome MEDIUMBLOB NULL AFTER fingerprint;
