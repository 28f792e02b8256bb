// What the trust features need to know about disputes (API.md v2 "Disputes"), in one place: whether
// a task has ever had one, and how many disputes an account was a party to, as customer and as
// executor of the disputed task.
import type { Sql } from '../db/request-db';

/** Admins may read a task's conversations once it has had a dispute. */
export async function taskHasHadDispute(db: Sql, taskId: number): Promise<boolean> {
  const rows = await db.rows('SELECT 1 FROM dispute WHERE task_id = ? LIMIT 1', [taskId]);
  return rows.length > 0;
}

/** The profile's `disputes` counts, through the task indexes by customer and by executor. */
export async function disputeCounts(db: Sql, accountId: number): Promise<{ asCustomer: number; asExecutor: number }> {
  const [row] = await db.rows<{ asCustomer: number; asExecutor: number }>(
    `SELECT (SELECT COUNT(*) FROM task t JOIN dispute d ON d.task_id = t.id WHERE t.customer_id = ?) AS asCustomer,
            (SELECT COUNT(*) FROM task t JOIN dispute d ON d.task_id = t.id WHERE t.executor_id = ?) AS asExecutor`,
    [accountId, accountId],
  );
  return { asCustomer: Number(row?.asCustomer ?? 0), asExecutor: Number(row?.asExecutor ?? 0) };
}
