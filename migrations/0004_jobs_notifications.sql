-- Notifications: each account's channels, executors' category subscriptions, one delivery job per
-- (outbox event, recipient, channel), and password-reset tokens (stored only as hashes).

-- A new account has e-mail on and no Telegram chat.
ALTER TABLE account
  ADD COLUMN notify_email      TINYINT(1)  NOT NULL DEFAULT 1 AFTER is_admin,
  ADD COLUMN telegram_chat_id  VARCHAR(40) NULL AFTER notify_email;

CREATE TABLE subscription (
  account_id   INT UNSIGNED      NOT NULL,
  category_id  SMALLINT UNSIGNED NOT NULL,
  created_at   DATETIME(3)       NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (account_id, category_id),
  -- The fan-out of a new task pages through one category's subscribers by account id.
  KEY subscription_category (category_id, account_id),
  CONSTRAINT subscription_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE,
  CONSTRAINT subscription_category FOREIGN KEY (category_id) REFERENCES category (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One message to one recipient on one channel. The unique key makes expanding an event
-- idempotent (INSERT IGNORE), and `status` is claimed with a conditional UPDATE, so a job is sent
-- by one consumer at a time and never again once done. The text is rendered at delivery from the
-- outbox event; `destination` is the address the recipient's settings named when the event happened.
CREATE TABLE notification_job (
  id           BIGINT UNSIGNED   NOT NULL AUTO_INCREMENT PRIMARY KEY,
  outbox_id    BIGINT UNSIGNED   NOT NULL,
  account_id   INT UNSIGNED      NOT NULL,
  channel      ENUM('email','telegram') NOT NULL,
  event_type   VARCHAR(40)       NOT NULL,
  destination  VARCHAR(254)      NOT NULL,
  status       ENUM('pending','running','done','failed') NOT NULL DEFAULT 'pending',
  attempts     SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  last_error   VARCHAR(1000)     NULL,
  created_at   DATETIME(3)       NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at   DATETIME(3)       NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  started_at   DATETIME(3)       NULL,
  sent_at      DATETIME(3)       NULL,
  UNIQUE KEY notification_job_once (outbox_id, account_id, channel),
  KEY notification_job_status (status, id),
  KEY notification_job_account (account_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The token is made when the e-mail is sent and only its SHA-256 is kept. Keyed by the outbox
-- event: a retried delivery replaces the token, so only the last link sent works.
CREATE TABLE password_reset (
  outbox_id   BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  account_id  INT UNSIGNED    NOT NULL,
  token_hash  BINARY(32)      NOT NULL,
  expires_at  DATETIME(3)     NOT NULL,
  used_at     DATETIME(3)     NULL,
  created_at  DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY password_reset_token (token_hash),
  KEY password_reset_account (account_id),
  KEY password_reset_expires (expires_at),
  CONSTRAINT password_reset_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
