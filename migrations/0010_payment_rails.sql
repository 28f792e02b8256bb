-- Payment rails and legal basics (issue 14) and verified Telegram chats (issue 10, item 5).

-- QIWI is gone: existing `qiwi` payouts keep their method, new ones go by SBP (phone + bank) or card.
ALTER TABLE payout
  MODIFY COLUMN method ENUM('qiwi','card','sbp') NOT NULL,
  ADD COLUMN bank VARCHAR(60) NULL AFTER destination;

-- The legal texts' versions, in one place: the site's pages carry the texts, this table which
-- version is current (the latest published one of each kind). A new version is a new row.
CREATE TABLE legal_version (
  kind          ENUM('terms','personalData') NOT NULL,
  version       VARCHAR(20)  NOT NULL,
  url           VARCHAR(200) NOT NULL,
  published_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (kind, version),
  KEY legal_version_current (kind, published_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Published when the migration runs: a version is current from its published_at on.
INSERT INTO legal_version (kind, version, url) VALUES
  ('terms', '2026-12-01', '/#/legal/terms'),
  ('personalData', '2026-12-01', '/#/legal/personal-data');

-- 152-FZ: each consent is its own act, kept with when and from where it was given. Never updated
-- or deleted while the account exists: it is the record.
CREATE TABLE consent (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id  INT UNSIGNED NOT NULL,
  kind        ENUM('terms','personalData') NOT NULL,
  version     VARCHAR(20)  NOT NULL,
  ip          VARCHAR(45)  NOT NULL,
  user_agent  VARCHAR(255) NOT NULL,
  created_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY consent_account (account_id, kind, version),
  CONSTRAINT consent_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A chat is linked by proof: the settings hand out a one-time code for the bot's deep link, and
-- only the bot's /start update carrying it links the chat it came from. Each settings page gets a
-- code of its own (two open tabs both work); linking spends every code of the account. Only the
-- code's SHA-256 is kept.
CREATE TABLE telegram_link (
  code_hash   BINARY(32)   NOT NULL PRIMARY KEY,
  account_id  INT UNSIGNED NOT NULL,
  expires_at  DATETIME(3)  NOT NULL,
  created_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY telegram_link_account (account_id),
  CONSTRAINT telegram_link_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The statement lists one line per movement of an account, newest first, by movement id.
ALTER TABLE ledger_entry ADD KEY ledger_entry_account_movement (account_id, movement_id);
