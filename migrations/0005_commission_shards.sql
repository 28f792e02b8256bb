-- The platform's commission over 16 rows instead of one: every accepted task used to update the
-- single row, so acceptances queued on its lock. A payment credits one shard; the total is the sum.
ALTER TABLE platform_account DROP CONSTRAINT platform_single_row;
ALTER TABLE platform_account ADD CONSTRAINT platform_commission_shard CHECK (id BETWEEN 1 AND 16);
INSERT INTO platform_account (id, commission)
  VALUES (2, 0.00), (3, 0.00), (4, 0.00), (5, 0.00), (6, 0.00), (7, 0.00), (8, 0.00), (9, 0.00),
         (10, 0.00), (11, 0.00), (12, 0.00), (13, 0.00), (14, 0.00), (15, 0.00), (16, 0.00);
