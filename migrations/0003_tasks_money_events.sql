-- Categories, tasks with escrow, applications, the money tables of the seed done right
-- (payment, payout), a double-entry ledger and the outbox of events.

CREATE TABLE category (
  id          SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  slug        VARCHAR(40) NOT NULL,
  name        VARCHAR(60) NOT NULL,
  created_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY category_slug (slug)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO category (slug, name) VALUES
  ('translation', 'Переводы'),
  ('copywriting', 'Копирайтинг'),
  ('design', 'Дизайн'),
  ('development', 'Разработка'),
  ('testing', 'Тестирование'),
  ('data-entry', 'Ввод данных'),
  ('other', 'Другое');

CREATE TABLE task (
  id              INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id     INT UNSIGNED NOT NULL,
  executor_id     INT UNSIGNED NULL,
  category_id     SMALLINT UNSIGNED NOT NULL,
  title           VARCHAR(100)  NOT NULL,
  description     VARCHAR(1000) NOT NULL,
  reward          DECIMAL(12,2) NOT NULL,
  commission      DECIMAL(12,2) NULL,
  assignment      ENUM('first','choose') NOT NULL,
  status          ENUM('actual','in_work','review','done','cancelled','frozen') NOT NULL DEFAULT 'actual',
  frozen_from     ENUM('actual','in_work','review') NULL,
  comment         VARCHAR(1000) NULL,
  submitted_at    DATETIME(3) NULL,
  created_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY task_feed (status, id),
  KEY task_feed_category (status, category_id, id),
  KEY task_customer (customer_id, status, id),
  KEY task_executor (executor_id, status, id),
  KEY task_review_due (status, submitted_at),
  CONSTRAINT task_customer FOREIGN KEY (customer_id) REFERENCES account (id),
  CONSTRAINT task_executor FOREIGN KEY (executor_id) REFERENCES account (id),
  CONSTRAINT task_category FOREIGN KEY (category_id) REFERENCES category (id),
  CONSTRAINT task_reward_positive CHECK (reward > 0),
  CONSTRAINT task_not_own CHECK (executor_id IS NULL OR executor_id <> customer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE task_application (
  id           INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  task_id      INT UNSIGNED NOT NULL,
  executor_id  INT UNSIGNED NOT NULL,
  created_at   DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY task_application_once (task_id, executor_id),
  KEY task_application_executor (executor_id),
  CONSTRAINT task_application_task FOREIGN KEY (task_id) REFERENCES task (id),
  CONSTRAINT task_application_executor FOREIGN KEY (executor_id) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE payment (
  id           INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id   INT UNSIGNED NOT NULL,
  amount       DECIMAL(12,2) NOT NULL,
  status       ENUM('created','received','rejected','outdated') NOT NULL DEFAULT 'created',
  ip           VARCHAR(45) NOT NULL,
  created_at   DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  received_at  DATETIME(3) NULL,
  KEY payment_account (account_id, id),
  KEY payment_status (status, created_at),
  CONSTRAINT payment_account FOREIGN KEY (account_id) REFERENCES account (id),
  CONSTRAINT payment_amount_positive CHECK (amount > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE payout (
  id           INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id   INT UNSIGNED NOT NULL,
  amount       DECIMAL(12,2) NOT NULL,
  method       ENUM('qiwi','card') NOT NULL,
  destination  VARCHAR(32) NOT NULL,
  status       ENUM('created','received','rejected') NOT NULL DEFAULT 'created',
  comment      VARCHAR(500) NULL,
  ip           VARCHAR(45) NOT NULL,
  created_at   DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  decided_at   DATETIME(3) NULL,
  decided_by   INT UNSIGNED NULL,
  KEY payout_account (account_id, id),
  KEY payout_status (status, id),
  CONSTRAINT payout_account FOREIGN KEY (account_id) REFERENCES account (id),
  CONSTRAINT payout_amount_positive CHECK (amount > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The platform's own money: the commission it has earned.
CREATE TABLE platform_account (
  id          TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  commission  DECIMAL(14,2) NOT NULL DEFAULT 0.00,
  CONSTRAINT platform_single_row CHECK (id = 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO platform_account (id, commission) VALUES (1, 0.00);

-- Double entry: every movement has legs that sum to zero; money from or to the outside world
-- (Robokassa in, payouts out) is the 'external' bucket, the platform's legs have no account.
CREATE TABLE ledger_movement (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind        VARCHAR(30) NOT NULL,
  task_id     INT UNSIGNED NULL,
  payment_id  INT UNSIGNED NULL,
  payout_id   INT UNSIGNED NULL,
  created_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ledger_movement_task (task_id),
  KEY ledger_movement_payment (payment_id),
  KEY ledger_movement_payout (payout_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ledger_entry (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  movement_id  BIGINT UNSIGNED NOT NULL,
  account_id   INT UNSIGNED NULL,
  bucket       ENUM('balance','balance_held','salary','salary_held','commission','external') NOT NULL,
  amount       DECIMAL(12,2) NOT NULL,
  KEY ledger_entry_account (account_id, id),
  KEY ledger_entry_movement (movement_id),
  CONSTRAINT ledger_entry_movement FOREIGN KEY (movement_id) REFERENCES ledger_movement (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Events written in the same transaction as the change that causes them; published after commit.
CREATE TABLE outbox (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_type    VARCHAR(40) NOT NULL,
  payload       TEXT NOT NULL,
  created_at    DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  published_at  DATETIME(3) NULL,
  KEY outbox_unpublished (published_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
