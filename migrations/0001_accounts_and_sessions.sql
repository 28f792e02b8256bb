-- Accounts with both money pairs (customer balance, executor salary), sessions by token hash.
-- Money is DECIMAL(12,2) and can never go negative: the CHECKs are the last line of defence
-- behind the conditional updates of the domain code.
CREATE TABLE account (
  id               INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email            VARCHAR(254) NOT NULL,
  password_hash    VARCHAR(100) NOT NULL,
  fname            VARCHAR(30)  NOT NULL,
  sname            VARCHAR(30)  NOT NULL,
  phone            VARCHAR(16)  NOT NULL,
  is_admin         TINYINT(1)   NOT NULL DEFAULT 0,
  balance          DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  balance_held     DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  salary           DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  salary_held      DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  created_at       DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at       DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY account_email (email),
  CONSTRAINT account_money_not_negative CHECK (balance >= 0 AND balance_held >= 0 AND salary >= 0 AND salary_held >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The token itself is never stored: only its SHA-256, which is enough for a 256-bit random token.
CREATE TABLE session (
  id              INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id      INT UNSIGNED NOT NULL,
  role            ENUM('customer','executor','admin') NOT NULL,
  token_hash      BINARY(32)   NOT NULL,
  ip              VARCHAR(45)  NOT NULL,
  user_agent      VARCHAR(255) NOT NULL,
  created_at      DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  last_active_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY session_token (token_hash),
  KEY session_account_active (account_id, last_active_at),
  KEY session_idle (last_active_at),
  CONSTRAINT session_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The seed's `error` table, with what an operator needs to find the request again.
CREATE TABLE error_log (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  request_id  VARCHAR(64)   NOT NULL,
  route       VARCHAR(120)  NOT NULL,
  message     VARCHAR(1000) NOT NULL,
  detail      TEXT          NULL,
  created_at  DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY error_log_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The seed's `script_time`: one row per handled request, written in batches.
CREATE TABLE request_stat (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  route        VARCHAR(120) NOT NULL,
  status       SMALLINT UNSIGNED NOT NULL,
  duration_ms  DECIMAL(10,3) UNSIGNED NOT NULL,
  created_at   DATETIME(3)  NOT NULL,
  KEY request_stat_created (created_at, route)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
