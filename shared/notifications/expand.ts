// An outbox event becomes jobs: one per recipient and enabled channel (API.md, "Notifications"),
// inserted idempotently, then handed to the queue as deliver messages. A new task fans out to every
// subscribed executor of its category in pages, each page one INSERT … SELECT per channel.
import type { Sql } from '../db/request-db';
import { sendMessages } from '../events/queue';
import { deliverMessages } from './jobs';

export interface OutboxEvent { id: number; type: string; payload: Record<string, unknown> }

/** Subscribers per page of the fan-out. */
const FANOUT_PAGE = 100;

export async function loadEvent(db: Sql, outboxId: number): Promise<OutboxEvent | null> {
  const [row] = await db.rows<{ id: number; type: string; payload: string }>(
    'SELECT id, event_type AS type, payload FROM outbox WHERE id = ?', [outboxId]);
  return row ? { id: Number(row.id), type: row.type, payload: JSON.parse(row.payload) as Record<string, unknown> } : null;
}

const idOf = (payload: Record<string, unknown>, key: string): number => {
  const value = Number(payload[key]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`event payload has no ${key}`);
  return value;
};

async function taskParties(db: Sql, taskId: number): Promise<{ customerId: number; categoryId: number; executorId: number | null }> {
  const [task] = await db.rows<{ customerId: number; categoryId: number; executorId: number | null }>(
    'SELECT customer_id AS customerId, category_id AS categoryId, executor_id AS executorId FROM task WHERE id = ?', [taskId]);
  if (!task) throw new Error(`task ${taskId} of an event does not exist`);
  return task;
}

/** The accounts an event speaks to directly (a new task's subscribers come on top, by fanOut). */
async function directRecipients(db: Sql, event: OutboxEvent): Promise<number[]> {
  const p = event.payload;
  switch (event.type) {
    case 'task_created': // the customer: balance charged
    case 'task_taken':
    case 'task_applied':
    case 'work_submitted':
      return [(await taskParties(db, idOf(p, 'taskId'))).customerId];
    case 'executor_chosen':
    case 'work_accepted':
    case 'work_rejected':
      return [idOf(p, 'executorId')];
    case 'balance_topped_up':
    case 'payout_approved':
    case 'payout_rejected':
    case 'password_reset_requested':
    case 'telegram_unlinked':
      return [idOf(p, 'accountId')];
    default:
      console.warn(`outbox ${event.id}: no notifications for event type ${event.type}`);
      return [];
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

/** Inserts the missing jobs of the accounts `where` selects (`a` is the account, `s` a subscription when joined). */
async function insertJobs(db: Sql, event: OutboxEvent, from: string, where: string, params: unknown[]): Promise<void> {
  const channels = channelSql(event);
  await db.exec(
    `INSERT IGNORE INTO notification_job (outbox_id, account_id, channel, event_type, destination)
     SELECT ?, a.id, 'email', ?, a.email FROM ${from} WHERE ${where} AND ${channels.email}`,
    [event.id, event.type, ...params]);
  if (channels.telegram) {
    await db.exec(
      `INSERT IGNORE INTO notification_job (outbox_id, account_id, channel, event_type, destination)
       SELECT ?, a.id, 'telegram', ?, a.telegram_chat_id FROM ${from} WHERE ${where} AND ${channels.telegram}`,
      [event.id, event.type, ...params]);
  }
}

async function pendingJobIds(db: Sql, outboxId: number, accountWhere: string, params: unknown[]): Promise<number[]> {
  const rows = await db.rows<{ id: number }>(
    `SELECT id FROM notification_job WHERE outbox_id = ? AND ${accountWhere} AND status = 'pending' ORDER BY id`,
    [outboxId, ...params]);
  return rows.map((r) => Number(r.id));
}

/**
 * Makes the event's jobs and queues them. Safe to repeat: existing jobs are kept, and only jobs
 * still pending are queued again (a done job would be skipped by its consumer anyway).
 */
export async function expandEvent(db: Sql, event: OutboxEvent): Promise<{ jobs: number }> {
  let jobs = 0;
  const direct = await directRecipients(db, event);
  if (direct.length > 0) {
    await insertJobs(db, event, 'account a', 'a.id IN (?)', [direct]);
    const ids = await pendingJobIds(db, event.id, 'account_id IN (?)', [direct]);
    await sendMessages(deliverMessages(ids));
    jobs += ids.length;
  }
  if (event.type === 'task_created') jobs += await fanOut(db, event);
  return { jobs };
}

/** Every executor subscribed to the new task's category, except the customer's own account. */
async function fanOut(db: Sql, event: OutboxEvent): Promise<number> {
  const { customerId, categoryId } = await taskParties(db, idOf(event.payload, 'taskId'));
  let jobs = 0;
  let after = 0;
  for (;;) {
    const page = await db.rows<{ accountId: number }>(
      `SELECT account_id AS accountId FROM subscription WHERE category_id = ? AND account_id > ? AND account_id <> ?
        ORDER BY account_id LIMIT ${FANOUT_PAGE}`, [categoryId, after, customerId]);
    if (page.length === 0) return jobs;
    const last = page[page.length - 1]!.accountId;
    await insertJobs(db, event, 'subscription s JOIN account a ON a.id = s.account_id',
      's.category_id = ? AND s.account_id > ? AND s.account_id <= ? AND s.account_id <> ?', [categoryId, after, last, customerId]);
    const ids = await pendingJobIds(db, event.id, 'account_id > ? AND account_id <= ? AND account_id <> ?', [after, last, customerId]);
    await sendMessages(deliverMessages(ids));
    jobs += ids.length;
    after = last;
  }
}
