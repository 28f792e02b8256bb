// An outbox event becomes jobs: one per recipient and enabled channel (API.md, "Notifications"),
// inserted idempotently in one transaction that also marks the event processed; the consumer then
// hands them to the queue as deliver messages. A new task fans out to every subscribed executor of
// its category.
import type { RequestDb, Sql } from '../db/request-db';
import { DomainEvent, unhandledEvent } from '../events/outbox';

/** An outbox row read back: its id and the event, parsed (a row that is no event fails here, loudly). */
export type OutboxEvent = DomainEvent & { id: number };

interface EventRow {
  id: number;
  type: string;
  payload: string;
  processedAt: Date | null;
}

const asEvent = (row: EventRow): OutboxEvent => ({
  ...DomainEvent.parse({ ...(JSON.parse(row.payload) as object), type: row.type }),
  id: Number(row.id),
});

export async function loadEvent(db: Sql, outboxId: number): Promise<OutboxEvent | null> {
  const [row] = await db.rows<EventRow>('SELECT id, event_type AS type, payload FROM outbox WHERE id = ?', [outboxId]);
  return row ? asEvent(row) : null;
}

async function taskParties(db: Sql, taskId: number): Promise<{ customerId: number; categoryId: number; executorId: number | null }> {
  const [task] = await db.rows<{ customerId: number; categoryId: number; executorId: number | null }>(
    'SELECT customer_id AS customerId, category_id AS categoryId, executor_id AS executorId FROM task WHERE id = ?',
    [taskId],
  );
  if (!task) throw new Error(`task ${taskId} of an event does not exist`);
  return task;
}

/** Who an event speaks to: accounts by id, and for a new task its category's subscribers (but the customer). */
interface Recipients {
  direct: number[];
  subscribersOf?: { categoryId: number; exceptAccountId: number };
}

async function recipients(db: Sql, event: OutboxEvent): Promise<Recipients> {
  switch (event.type) {
    case 'task_created': {
      // the customer (balance charged), and the executors who follow the category
      const task = await taskParties(db, event.taskId);
      return { direct: [task.customerId], subscribersOf: { categoryId: task.categoryId, exceptAccountId: task.customerId } };
    }
    case 'task_taken':
    case 'task_applied':
    case 'work_submitted':
    case 'offer_changed':
      return { direct: [(await taskParties(db, event.taskId)).customerId] };
    case 'executor_chosen':
    case 'work_accepted':
    case 'work_rejected':
    case 'deadline_extended':
    case 'overdue_released':
      return { direct: [event.executorId] };
    case 'dispute_opened':
    case 'dispute_answered':
      return { direct: [event.recipientId] };
    case 'dispute_resolved': {
      const { customerId, executorId } = await taskParties(db, event.taskId);
      return { direct: executorId === null ? [customerId] : [customerId, executorId] };
    }
    case 'balance_topped_up':
    case 'payout_approved':
    case 'payout_rejected':
      return { direct: [event.accountId] };
    case 'password_reset_requested':
      // Written for an unknown address too (the request does the same work either way): nobody to tell.
      return { direct: event.accountId === null ? [] : [event.accountId] };
    case 'message_received':
    case 'account_blocked':
    case 'account_unblocked':
    case 'appeal_decided':
    case 'telegram_unlinked':
      return { direct: [event.accountId] };
    default:
      return unhandledEvent(event);
  }
}

// What each recipient gets: e-mail when on, Telegram when a chat is set. A password reset is the
// one message that is not a notification: the person asked for it, so it is always mailed, and
// never sent to Telegram (the link opens the account). A chat that refused the bot is reported
// by e-mail whatever the setting: it was the person's other channel, now gone.
function channelSql(event: OutboxEvent): { email: string; telegram: string | null } {
  if (event.type === 'password_reset_requested' || event.type === 'telegram_unlinked') return { email: 'TRUE', telegram: null };
  return { email: 'a.notify_email = 1', telegram: 'a.telegram_chat_id IS NOT NULL' };
}

/** Every missing job of the event in one INSERT … SELECT: each recipient set on each channel. */
async function insertJobs(tx: Sql, event: OutboxEvent, to: Recipients): Promise<void> {
  const sources: { from: string; where: string; params: unknown[] }[] = [];
  if (to.direct.length > 0) sources.push({ from: 'account a', where: 'a.id IN (?)', params: [to.direct] });
  if (to.subscribersOf) {
    sources.push({
      from: 'subscription s JOIN account a ON a.id = s.account_id',
      where: 's.category_id = ? AND s.account_id <> ?',
      params: [to.subscribersOf.categoryId, to.subscribersOf.exceptAccountId],
    });
  }
  const channels = channelSql(event);
  const selects: string[] = [];
  const params: unknown[] = [];
  for (const source of sources) {
    selects.push(`SELECT ?, a.id, 'email', ?, a.email FROM ${source.from} WHERE ${source.where} AND ${channels.email}`);
    params.push(event.id, event.type, ...source.params);
    if (channels.telegram) {
      selects.push(`SELECT ?, a.id, 'telegram', ?, a.telegram_chat_id FROM ${source.from} WHERE ${source.where} AND ${channels.telegram}`);
      params.push(event.id, event.type, ...source.params);
    }
  }
  if (selects.length === 0) return;
  await tx.exec(
    `INSERT IGNORE INTO notification_job (outbox_id, account_id, channel, event_type, destination) ${selects.join(' UNION ALL ')}`,
    params,
  );
}

/**
 * Makes the event's jobs and marks it processed, in one transaction, and returns the ids of its
 * jobs still pending, for the caller to queue. Safe to repeat and to run twice at once: the event
 * row is locked, a processed event gets no new jobs, and a job queued twice is sent once (its
 * delivery claims it). Null when the event no longer exists.
 */
export async function expandEvent(db: RequestDb, outboxId: number): Promise<number[] | null> {
  // Read committed: the recipients' account rows are copied into jobs without share locks, so an
  // expansion never waits for the customer's next create, nor that create for it.
  return db.transaction(
    async (tx) => {
      const [row] = await tx.rows<EventRow>(
        'SELECT id, event_type AS type, payload, processed_at AS processedAt FROM outbox WHERE id = ? FOR UPDATE',
        [outboxId],
      );
      if (!row) return null;
      if (row.processedAt === null) {
        const event = asEvent(row);
        await insertJobs(tx, event, await recipients(tx, event));
        await tx.exec('UPDATE outbox SET processed_at = NOW(3), published_at = COALESCE(published_at, NOW(3)) WHERE id = ?', [outboxId]);
      }
      const jobs = await tx.rows<{ id: number }>("SELECT id FROM notification_job WHERE outbox_id = ? AND status = 'pending' ORDER BY id", [
        outboxId,
      ]);
      return jobs.map((j) => Number(j.id));
    },
    { readCommitted: true },
  );
}
