// A task's conversations: one per executor with the task's customer. Writing checks who may write
// from the task's state, adds the message and moves the conversation row (last message, the other
// party's unread count, whether that party is due a notification) in one transaction.
import type { Party } from '../accounts/roles';
import type { z } from 'zod';
import type { Session } from '../accounts/sessions';
import { accountNames } from '../cache/names';
import { overLimitFor } from '../cache/rate-limit';
import { config } from '../config';
import type { RequestDb, Sql, Tx } from '../db/request-db';
import { enqueue } from '../events/outbox';
import { forbidden, invalidState, notFound, rateLimited } from '../errors';
import { idBefore, toPage, type Page } from '../pagination';
import { taskHasHadDispute } from '../tasks/dispute-facts';
import { looksLikeContact } from './contact';
import type { MessagesQuery, PostMessageBody } from './schemas';

export type Side = Party;

export interface MessageView {
  id: number;
  taskId: number;
  executorId: number;
  from: { id: number; name: string };
  text: string;
  flags: string[];
  createdAt: string;
}

export interface MessageRow {
  id: number;
  taskId: number;
  executorId: number;
  authorId: number;
  text: string;
  flags: string;
  createdAt: Date;
}

export const MESSAGE_COLUMNS = `m.id, c.task_id AS taskId, c.executor_id AS executorId, m.author_id AS authorId,
  m.text, m.flags, m.created_at AS createdAt`;

/** The conversation columns of each side; never built from input. */
export const SIDE_COLUMNS = {
  customer: { account: 'customer_id', unread: 'customer_unread', notifiedAt: 'customer_notified_at' },
  executor: { account: 'executor_id', unread: 'executor_unread', notifiedAt: 'executor_notified_at' },
} as const;

const other = (side: Side): Side => (side === 'customer' ? 'executor' : 'customer');

/** States in which administrators may read a task's conversations (besides a task that has had a dispute). */
const OPEN_TO_ADMINS: readonly string[] = ['frozen', 'disputed'];

export async function messageViews(db: Sql, rows: MessageRow[]): Promise<MessageView[]> {
  const names = await accountNames(
    db,
    rows.map((r) => r.authorId),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    taskId: r.taskId,
    executorId: r.executorId,
    from: { id: r.authorId, name: names.get(r.authorId) ?? '' },
    text: r.text,
    flags: r.flags ? r.flags.split(',') : [],
    createdAt: r.createdAt.toISOString(),
  }));
}

interface TaskFacts {
  customerId: number;
  executorId: number | null;
  status: string;
}

async function taskFacts(db: Sql, taskId: number, lock = ''): Promise<TaskFacts> {
  const [task] = await db.rows<TaskFacts>(
    `SELECT customer_id AS customerId, executor_id AS executorId, status FROM task WHERE id = ? ${lock}`,
    [taskId],
  );
  if (!task) throw notFound('Task');
  return task;
}

async function hasApplied(db: Sql, taskId: number, executorId: number): Promise<boolean> {
  const rows = await db.rows('SELECT 1 FROM task_application WHERE task_id = ? AND executor_id = ?', [taskId, executorId]);
  return rows.length > 0;
}

/** An executor the customer may talk to: one who wrote, applied or is assigned. */
async function isCounterpart(db: Sql, taskId: number, task: TaskFacts, executorId: number, hasConversation: boolean): Promise<boolean> {
  return hasConversation || task.executorId === executorId || hasApplied(db, taskId, executorId);
}

/** Which conversation the writer writes into, or why not (API.md: who may write). */
async function conversationToWrite(
  tx: Tx,
  taskId: number,
  author: Session,
  executorId: number | undefined,
): Promise<{ customerId: number; executorId: number; side: Side }> {
  // A shared lock: the task's state holds while the message is written (a take waits for it).
  const task = await taskFacts(tx, taskId, 'LOCK IN SHARE MODE');
  const me = author.accountId;
  if (author.role === 'executor') {
    if (task.customerId === me) throw forbidden('You cannot write as an executor about a task of your own account');
    if (executorId !== undefined && executorId !== me) throw forbidden('An executor writes only into its own conversation');
    const may = task.status === 'actual' || task.executorId === me || (await hasApplied(tx, taskId, me));
    if (!may) throw invalidState(`The task is ${task.status}: only its applicants and its executor may write now`);
    return { customerId: task.customerId, executorId: me, side: 'executor' };
  }
  if (task.customerId !== me) throw forbidden('Only the customer who posted the task may write as its customer');
  if (executorId === undefined) throw notFound('Conversation (name the executor: executorId)');
  const [conversation] = await tx.rows('SELECT id FROM conversation WHERE task_id = ? AND executor_id = ?', [taskId, executorId]);
  if (!(await isCounterpart(tx, taskId, task, executorId, conversation !== undefined))) throw notFound('Conversation with this executor');
  return { customerId: me, executorId, side: 'customer' };
}

export async function postMessage(
  db: RequestDb,
  author: Session,
  taskId: number,
  input: z.output<typeof PostMessageBody>,
): Promise<MessageView> {
  const retryAfter = await overLimitFor(
    `msg:s${author.id}`,
    { perSecond: 0, perMinute: config.MESSAGE_LIMIT_PER_MINUTE },
    config.RATE_LIMIT_KEY_PREFIX,
  );
  if (retryAfter > 0) throw rateLimited(retryAfter);
  const flags = looksLikeContact(input.text) ? 'contact' : '';
  return db.transaction(async (tx) => {
    const { customerId, executorId, side } = await conversationToWrite(tx, taskId, author, input.executorId);
    // Creates the conversation or, when it exists, takes its row lock at once: a plain INSERT IGNORE
    // would take a shared lock that two concurrent writers then both try to upgrade (a deadlock).
    await tx.exec('INSERT INTO conversation (task_id, customer_id, executor_id) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE id = id', [
      taskId,
      customerId,
      executorId,
    ]);
    const to = SIDE_COLUMNS[other(side)];
    const [conversation] = await tx.rows<{ id: number; recipientId: number; notify: number }>(
      `SELECT id, ${to.account} AS recipientId, (${to.notifiedAt} IS NULL OR ${to.notifiedAt} <= NOW(3) - INTERVAL ? SECOND) AS notify
         FROM conversation WHERE task_id = ? AND executor_id = ? FOR UPDATE`,
      [Math.round(config.MESSAGE_NOTIFY_MINUTES * 60), taskId, executorId],
    );
    if (!conversation) throw new Error(`conversation of task ${taskId} and executor ${executorId} is missing`);
    const res = await tx.exec('INSERT INTO message (conversation_id, author_id, text, flags) VALUES (?, ?, ?, ?)', [
      conversation.id,
      author.accountId,
      input.text,
      flags,
    ]);
    const messageId = res.insertId;
    await tx.exec(
      `UPDATE conversation c JOIN message m ON m.id = ?
          SET c.last_message_id = m.id, c.last_message_at = m.created_at, c.${to.unread} = c.${to.unread} + 1,
              c.${to.notifiedAt} = IF(?, NOW(3), c.${to.notifiedAt})
        WHERE c.id = ?`,
      [messageId, conversation.notify, conversation.id],
    );
    if (conversation.notify) await enqueue(tx, { type: 'message_received', messageId, taskId, accountId: conversation.recipientId });
    const rows = await tx.rows<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE m.id = ?`,
      [messageId],
    );
    return (await messageViews(tx, rows))[0]!;
  });
}

/** Whose conversation the reader asks for and on which side the reader is (null: an administrator, not a party). */
async function conversationToRead(
  db: RequestDb,
  taskId: number,
  reader: Session,
  executorId: number | undefined,
): Promise<{ task: TaskFacts; executorId: number; side: Side | null }> {
  const task = await taskFacts(db, taskId);
  const me = reader.accountId;
  if (task.customerId === me) {
    if (executorId === undefined) throw notFound('Conversation (name the executor: executorId)');
    return { task, executorId, side: 'customer' };
  }
  if (reader.role === 'admin') {
    if (!OPEN_TO_ADMINS.includes(task.status) && !(await taskHasHadDispute(db, taskId))) {
      throw forbidden('Administrators read conversations only of a task that is disputed, frozen or has had a dispute');
    }
    if (executorId === undefined) throw notFound('Conversation (name the executor: executorId)');
    return { task, executorId, side: null };
  }
  if (executorId !== undefined && executorId !== me) throw forbidden('Only the two parties read a conversation');
  return { task, executorId: me, side: 'executor' };
}

/** Newest first; reading marks the conversation read for the reader's side. */
export async function listMessages(
  db: RequestDb,
  reader: Session,
  taskId: number,
  query: z.output<typeof MessagesQuery>,
): Promise<Page<MessageView>> {
  const { task, executorId, side } = await conversationToRead(db, taskId, reader, query.executorId);
  const [conversation] = await db.rows<{ id: number; customerUnread: number; executorUnread: number }>(
    `SELECT id, customer_unread AS customerUnread, executor_unread AS executorUnread FROM conversation
      WHERE task_id = ? AND executor_id = ?`,
    [taskId, executorId],
  );
  if (!conversation) {
    // No message yet: the executor's own conversation, or one the customer may start, is empty; any other does not exist.
    if (side === 'executor' || (side === 'customer' && (await isCounterpart(db, taskId, task, executorId, false)))) {
      return { items: [], nextCursor: null };
    }
    throw notFound('Conversation');
  }
  const unread = side === 'customer' ? conversation.customerUnread : side === 'executor' ? conversation.executorUnread : 0;
  // Zeroed before the page is read, so the page (then read on the primary) shows every message the count held.
  if (side && unread > 0) await db.exec(`UPDATE conversation SET ${SIDE_COLUMNS[side].unread} = 0 WHERE id = ?`, [conversation.id]);
  const rows = await db.rows<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM message m JOIN conversation c ON c.id = m.conversation_id
      WHERE m.conversation_id = ? AND m.id < ? ORDER BY m.id DESC LIMIT ?`,
    [conversation.id, idBefore(query.cursor), query.limit + 1],
  );
  const page = toPage(
    rows,
    query.limit,
    (r) => [Number(r.id)],
    (r) => r,
  );
  return { items: await messageViews(db, page.items), nextCursor: page.nextCursor };
}
