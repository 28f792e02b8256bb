// What trust features need to know about disputes, in one place. Disputes are the "deals" work
// (API.md v2 "Disputes"); until it is merged there are none, so both answers are "none". At the
// merge these read the `dispute` table: whether the task has ever had one, and how many disputes
// the account was a party to, as the task's customer and as its executor.
import type { Sql } from '../db/request-db';

/** Admins may read a task's conversations once it has had a dispute. */
export async function taskHasHadDispute(_db: Sql, _taskId: number): Promise<boolean> {
  return false;
}

/** The profile's `disputes` counts. */
export async function disputeCounts(_db: Sql, _accountId: number): Promise<{ asCustomer: number; asExecutor: number }> {
  return { asCustomer: 0, asExecutor: 0 };
}
