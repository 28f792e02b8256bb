// Events are rows written in the caller's transaction: they exist exactly when the change does.
// The outbox relay (publisher.ts) sends them to the events queue once committed; the request never waits for it.
import type { Tx } from '../db/request-db';

export type DomainEvent =
  | { type: 'task_created'; taskId: number }
  | { type: 'task_taken'; taskId: number; executorId: number }
  | { type: 'task_applied'; taskId: number; executorId: number; applicationId: number }
  | { type: 'executor_chosen'; taskId: number; executorId: number }
  // A step's event carries its own comment: a later step changes the task, never this message.
  | { type: 'work_submitted'; taskId: number; historyId: number; comment: string | null }
  | { type: 'work_accepted'; taskId: number; executorId: number; automatic: boolean }
  | { type: 'work_rejected'; taskId: number; executorId: number; historyId: number; comment: string }
  | { type: 'balance_topped_up'; paymentId: number; accountId: number }
  | { type: 'payout_approved'; payoutId: number; accountId: number }
  | { type: 'payout_rejected'; payoutId: number; accountId: number }
  /** `accountId` null: the address has no account (the request does the same work either way). */
  | { type: 'password_reset_requested'; accountId: number | null }
  // Deals (API v2): each carries what its message quotes, as it was at that step.
  | { type: 'offer_changed'; taskId: number; executorId: number; applicationId: number; withdrawn: boolean;
      message: string | null; price: string | null; days: number | null }
  | { type: 'deadline_extended'; taskId: number; executorId: number; historyId: number; days: number; dueAt: string; comment: string | null }
  | { type: 'overdue_released'; taskId: number; executorId: number; historyId: number }
  | { type: 'dispute_opened'; taskId: number; disputeId: number; recipientId: number; historyId: number;
      openedBy: 'customer' | 'executor'; reason: string; executorAmount: string; respondBy: string }
  | { type: 'dispute_answered'; taskId: number; disputeId: number; recipientId: number; historyId: number;
      executorAmount: string; comment: string | null }
  | { type: 'dispute_resolved'; taskId: number; disputeId: number; historyId: number; by: 'agreement' | 'timeout' | 'admin';
      executorAmount: string; executorEarned: string; customerRefund: string; comment: string | null }
  // Trust (API v2): messages, blocks and appeals.
  | { type: 'message_received'; messageId: number; taskId: number; accountId: number }
  | { type: 'account_blocked'; accountId: number; reason: string }
  | { type: 'account_unblocked'; accountId: number; comment: string }
  | { type: 'appeal_decided'; appealId: number; accountId: number }
  | { type: 'telegram_unlinked'; accountId: number };

export async function enqueue(tx: Tx, event: DomainEvent): Promise<number> {
  const { type, ...payload } = event;
  const res = await tx.exec('INSERT INTO outbox (event_type, payload) VALUES (?, ?)', [type, JSON.stringify(payload)]);
  return res.insertId;
}
