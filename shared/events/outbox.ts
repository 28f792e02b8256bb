// Events are rows written in the caller's transaction: they exist exactly when the change does.
// The outbox relay (publisher.ts) sends them to the events queue once committed; the request never waits for it.
import { z } from 'zod';
import { PARTIES } from '../accounts/roles';
import type { Tx } from '../db/request-db';

const id = z.number().int().positive();
const money = z.string();
const isoTime = z.string();
const PARTY = z.enum(PARTIES);
/** Absent in events written before the task history (0008): such a message quotes the task's last comment. */
const stepComment = z.string().nullable().optional();

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), ...shape });

/**
 * Every event, declared once: written by `enqueue` (typed by this union) and parsed where it is read
 * (shared/notifications/expand.ts `loadEvent`), so a reader never guesses at a payload.
 */
export const DomainEvent = z.discriminatedUnion('type', [
  event('task_created', { taskId: id }),
  event('task_taken', { taskId: id, executorId: id }),
  event('task_applied', { taskId: id, executorId: id, applicationId: id }),
  event('executor_chosen', { taskId: id, executorId: id }),
  // A step's event carries its own comment: a later step changes the task, never this message.
  event('work_submitted', { taskId: id, historyId: id.optional(), comment: stepComment }),
  event('work_accepted', { taskId: id, executorId: id, automatic: z.boolean() }),
  event('work_rejected', { taskId: id, executorId: id, historyId: id.optional(), comment: stepComment }),
  event('balance_topped_up', { paymentId: id, accountId: id }),
  event('payout_approved', { payoutId: id, accountId: id }),
  event('payout_rejected', { payoutId: id, accountId: id }),
  /** `accountId` null: the address has no account (the request does the same work either way). */
  event('password_reset_requested', { accountId: id.nullable() }),
  // Deals (API v2): each carries what its message quotes, as it was at that step.
  event('offer_changed', {
    taskId: id,
    executorId: id,
    applicationId: id,
    withdrawn: z.boolean(),
    message: z.string().nullable(),
    price: money.nullable(),
    days: z.number().int().nullable(),
  }),
  event('deadline_extended', {
    taskId: id,
    executorId: id,
    historyId: id,
    days: z.number().int(),
    dueAt: isoTime,
    comment: z.string().nullable(),
  }),
  event('overdue_released', { taskId: id, executorId: id, historyId: id }),
  event('dispute_opened', {
    taskId: id,
    disputeId: id,
    recipientId: id,
    historyId: id,
    openedBy: PARTY,
    reason: z.string(),
    executorAmount: money,
    respondBy: isoTime,
  }),
  event('dispute_answered', {
    taskId: id,
    disputeId: id,
    recipientId: id,
    historyId: id,
    executorAmount: money,
    comment: z.string().nullable(),
  }),
  event('dispute_resolved', {
    taskId: id,
    disputeId: id,
    historyId: id,
    by: z.enum(['agreement', 'timeout', 'admin']),
    executorAmount: money,
    executorEarned: money,
    customerRefund: money,
    comment: z.string().nullable(),
  }),
  // Trust (API v2): messages, blocks and appeals.
  event('message_received', { messageId: id, taskId: id, accountId: id }),
  event('account_blocked', { accountId: id, reason: z.string() }),
  event('account_unblocked', { accountId: id, comment: z.string() }),
  event('appeal_decided', { appealId: id, accountId: id }),
  event('telegram_unlinked', { accountId: id }),
]);
export type DomainEvent = z.infer<typeof DomainEvent>;
export type EventType = DomainEvent['type'];

/** The end of a switch over events: a new event type that a switch forgot fails the type check here. */
export function unhandledEvent(event: never): never {
  throw new Error(`no case for event ${JSON.stringify(event)}`);
}

export async function enqueue(tx: Tx, event: DomainEvent): Promise<number> {
  const { type, ...payload } = event;
  const res = await tx.exec('INSERT INTO outbox (event_type, payload) VALUES (?, ?)', [type, JSON.stringify(payload)]);
  return res.insertId;
}
