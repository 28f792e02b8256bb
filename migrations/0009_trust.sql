-- Trust: a conversation per (task, executor), two-sided blind reviews with per-account rating
-- aggregates, and blocks with appeals (API.md v2 "Conversations", "Reviews and profiles",
-- "Blocks and appeals"). One file: the migration runner takes only `NNNN_name.sql`.

-- One row per conversation keeps what the lists need: the last message, when it was written, and
-- each party's unread count, so that no request counts messages. `*_notified_at` spaces out the
-- message_received notifications (MESSAGE_NOTIFY_MINUTES).
CREATE TABLE conversation (
  id                    INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  task_id               INT UNSIGNED NOT NULL,
  customer_id           INT UNSIGNED NOT NULL,
  executor_id           INT UNSIGNED NOT NULL,
  last_message_id       BIGINT UNSIGNED NULL,
  last_message_at       DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  customer_unread       INT UNSIGNED NOT NULL DEFAULT 0,
  executor_unread       INT UNSIGNED NOT NULL DEFAULT 0,
  customer_notified_at  DATETIME(3) NULL,
  executor_notified_at  DATETIME(3) NULL,
  created_at            DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY conversation_once (task_id, executor_id),
  -- "My conversations", latest activity first, for each side.
  KEY conversation_customer (customer_id, last_message_at, id),
  KEY conversation_executor (executor_id, last_message_at, id),
  CONSTRAINT conversation_task FOREIGN KEY (task_id) REFERENCES task (id),
  CONSTRAINT conversation_customer FOREIGN KEY (customer_id) REFERENCES account (id),
  CONSTRAINT conversation_executor FOREIGN KEY (executor_id) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Never edited or deleted: the record a dispute is decided on.
CREATE TABLE message (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  conversation_id  INT UNSIGNED NOT NULL,
  author_id        INT UNSIGNED NOT NULL,
  text             VARCHAR(2000) NOT NULL,
  flags            SET('contact') NOT NULL DEFAULT '',
  created_at       DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY message_conversation (conversation_id, id),
  CONSTRAINT message_conversation FOREIGN KEY (conversation_id) REFERENCES conversation (id),
  CONSTRAINT message_author FOREIGN KEY (author_id) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One review per author and task. Blind until `published_at`; a hidden review counts nowhere.
CREATE TABLE review (
  id             INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  task_id        INT UNSIGNED NOT NULL,
  author_id      INT UNSIGNED NOT NULL,
  subject_id     INT UNSIGNED NOT NULL,
  subject_role   ENUM('customer','executor') NOT NULL,
  rating         TINYINT UNSIGNED NOT NULL,
  text           VARCHAR(1000) NOT NULL DEFAULT '',
  created_at     DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  published_at   DATETIME(3) NULL,
  hidden_at      DATETIME(3) NULL,
  hidden_reason  VARCHAR(500) NULL,
  hidden_by      INT UNSIGNED NULL,
  UNIQUE KEY review_once (task_id, author_id),
  KEY review_subject_role (subject_id, subject_role, id),
  KEY review_subject (subject_id, id),
  KEY review_unpublished (published_at),
  CONSTRAINT review_task FOREIGN KEY (task_id) REFERENCES task (id),
  CONSTRAINT review_author FOREIGN KEY (author_id) REFERENCES account (id),
  CONSTRAINT review_subject FOREIGN KEY (subject_id) REFERENCES account (id),
  CONSTRAINT review_rating_range CHECK (rating BETWEEN 1 AND 5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Published, non-hidden reviews per account and role: changed in the transaction that publishes
-- or hides a review, so a profile's rating is one row read and always exact.
CREATE TABLE account_rating (
  account_id  INT UNSIGNED NOT NULL,
  role        ENUM('customer','executor') NOT NULL,
  reviews     INT UNSIGNED NOT NULL DEFAULT 0,
  rating_sum  INT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, role),
  CONSTRAINT account_rating_account FOREIGN KEY (account_id) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A block is on the account row, so that the session lookup sees it in the same read.
ALTER TABLE account
  ADD COLUMN blocked_reason  VARCHAR(1000) NULL,
  ADD COLUMN blocked_at      DATETIME(3) NULL;

-- `open_account_id` is the account while the appeal is open, else NULL: the unique key allows
-- one open appeal per account and any number of decided ones.
CREATE TABLE appeal (
  id               INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id       INT UNSIGNED NOT NULL,
  text             VARCHAR(2000) NOT NULL,
  status           ENUM('open','upheld','lifted') NOT NULL DEFAULT 'open',
  answer           VARCHAR(1000) NULL,
  answer_by        DATETIME(3) NOT NULL,
  decided_by       INT UNSIGNED NULL,
  created_at       DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  decided_at       DATETIME(3) NULL,
  open_account_id  INT UNSIGNED AS (IF(status = 'open', account_id, NULL)) STORED,
  UNIQUE KEY appeal_one_open (open_account_id),
  KEY appeal_account (account_id, id),
  KEY appeal_status (status, id),
  CONSTRAINT appeal_account FOREIGN KEY (account_id) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
