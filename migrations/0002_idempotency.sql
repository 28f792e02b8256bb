-- The first answer to a money POST, kept 24 hours per account and Idempotency-Key.
CREATE TABLE idempotency_key (
  account_id   INT UNSIGNED  NOT NULL,
  idem_key     VARCHAR(100)  NOT NULL,
  fingerprint  BINARY(32)    NOT NULL,
  status       SMALLINT UNSIGNED NULL,
  response     MEDIUMTEXT    NULL,
  created_at   DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (account_id, idem_key),
  KEY idempotency_key_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
