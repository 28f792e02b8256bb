// Events are rows written in the caller's transaction: they exist exactly when the change does.
import type { Tx } from '../db/request-db';

export type DomainEvent =
  | { type: 'task_created'; taskId: number }
  | { type: 'task_taken'; taskId: number; executorId: number }
  | { type: 'task_applied'; taskId: number; executorId: number; applicationId: number }
  | { type: 'executor_chosen'; taskId: number; executorId: number }
  | { type: 'work_submitted'; taskId: number }
  | { type: 'work_accepted'; taskId: number; executorId: number; automatic: boolean }
  | { type: 'work_rejected'; taskId: number; executorId: number }
  | { type: 'balance_topped_up'; paymentId: number; accountId: number }
  | { type: 'payout_approved'; payoutId: number; accountId: number }
  | { type: 'payout_rejected'; payoutId: number; accountId: number };

export async function enqueue(tx: Tx, event: DomainEvent): Promise<number> {
  const { type, ...payload } = event;
  const res = await tx.exec('INSERT INTO outbox (event_type, payload) VALUES (?, ?)', [type, JSON.stringify(payload)]);
  return res.insertId;
}
