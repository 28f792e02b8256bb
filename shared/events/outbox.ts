// Events are rows written in the caller's transaction: they exist exactly when the change does.
// Each is published to the events queue once that transaction has committed, never from inside it.
import type { Tx } from '../db/request-db';
import { publish } from './publisher';

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
  | { type: 'payout_rejected'; payoutId: number; accountId: number }
  | { type: 'password_reset_requested'; accountId: number }
  | { type: 'telegram_unlinked'; accountId: number };

export async function enqueue(tx: Tx, event: DomainEvent): Promise<number> {
  const { type, ...payload } = event;
  const res = await tx.exec('INSERT INTO outbox (event_type, payload) VALUES (?, ?)', [type, JSON.stringify(payload)]);
  const outboxId = res.insertId;
  // A failed send never fails the request: the row stays unpublished for the scheduled publisher.
  tx.onCommit(() => publish([outboxId]).catch((err) => console.error(`outbox ${outboxId}: publish failed, left to the schedule`, err)));
  return outboxId;
}
