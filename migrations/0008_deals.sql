-- Deals (API v2): each step of a task kept in its history, offers with price and days, due
-- dates, and disputes that end in a split of the held reward.

-- One row per step, written in the step's transaction and never updated: notifications and the
-- task's `history` both read the step they are about.
CREATE TABLE task_history (
  id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  task_id    INT UNSIGNED NOT NULL,
  at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  actor_id   INT UNSIGNED NULL,
  action     ENUM('take','assign','abandon','submit','reject','accept','auto_accept','extend','cancel',
                  'overdue_release','freeze','unfreeze','dispute_opened','dispute_answered',
                  'dispute_withdrawn','dispute_resolved') NOT NULL,
  comment    VARCHAR(2000) NULL,
  KEY task_history_task (task_id, id),
  CONSTRAINT task_history_task FOREIGN KEY (task_id) REFERENCES task (id),
  CONSTRAINT task_history_actor FOREIGN KEY (actor_id) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE task
  MODIFY status ENUM('actual','in_work','review','done','cancelled','frozen','disputed') NOT NULL DEFAULT 'actual',
  ADD COLUMN days SMALLINT UNSIGNED NULL AFTER reward,
  ADD COLUMN due_at DATETIME(3) NULL AFTER submitted_at,
  ADD COLUMN rejections INT UNSIGNED NOT NULL DEFAULT 0 AFTER due_at,
  ADD KEY task_overdue (status, due_at);

ALTER TABLE task_application
  ADD COLUMN message VARCHAR(1000) NULL,
  ADD COLUMN price DECIMAL(12,2) NULL,
  ADD COLUMN days SMALLINT UNSIGNED NULL,
  ADD COLUMN updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3);

CREATE TABLE dispute (
  id                  INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  task_id             INT UNSIGNED NOT NULL,
  opened_by           ENUM('customer','executor') NOT NULL,
  reason              VARCHAR(2000) NOT NULL,
  customer_amount     DECIMAL(12,2) NULL,
  executor_amount     DECIMAL(12,2) NULL,
  status              ENUM('awaiting_response','awaiting_admin','resolved','withdrawn') NOT NULL DEFAULT 'awaiting_response',
  -- The state the task had, to return to on a withdrawal.
  task_from           ENUM('in_work','review') NOT NULL,
  respond_by          DATETIME(3) NOT NULL,
  resolution_amount   DECIMAL(12,2) NULL,
  resolution_by       ENUM('agreement','timeout','admin') NULL,
  resolution_comment  VARCHAR(2000) NULL,
  created_at          DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  resolved_at         DATETIME(3) NULL,
  KEY dispute_task (task_id, id),
  KEY dispute_queue (status, id),
  KEY dispute_due (status, respond_by),
  CONSTRAINT dispute_task FOREIGN KEY (task_id) REFERENCES task (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
