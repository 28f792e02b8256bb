// "My conversations", latest activity first, each with its last message and the caller's unread
// count, all read from the conversation rows (kept by every message), never by counting messages.
import type { z } from 'zod';
import type { Session } from '../accounts/sessions';
import { accountNames } from '../cache/names';
import type { RequestDb } from '../db/request-db';
import { toPage, type Page } from '../pagination';
import { MESSAGE_COLUMNS, messageViews, SIDE_COLUMNS, type MessageRow, type MessageView, type Side } from './messages';
import type { ConversationsQuery } from './schemas';

export interface ConversationView {
  task: { id: number; title: string };
  customer: { id: number; name: string };
  executor: { id: number; name: string };
  lastMessage: MessageView | null;
  unread: number;
}

interface ConversationRow {
  id: number;
  taskId: number;
  title: string;
  customerId: number;
  executorId: number;
  lastMessageId: number | null;
  lastMessageAt: Date;
  unread: number;
}

/** Where the previous page ended: its last conversation's activity time and id (the schema decoded both). */
function after(cursor: readonly [string, number] | undefined): { at: Date; id: number } | null {
  return cursor ? { at: new Date(cursor[0]), id: cursor[1] } : null;
}

const newestFirst = (a: ConversationRow, b: ConversationRow) => b.lastMessageAt.getTime() - a.lastMessageAt.getTime() || b.id - a.id;

/**
 * A customer session sees the conversations of the tasks it posted, an executor session its own;
 * an administrator's session, acting as neither, sees those of its account on both sides.
 */
export async function myConversations(
  db: RequestDb,
  session: Session,
  query: z.output<typeof ConversationsQuery>,
): Promise<Page<ConversationView>> {
  const sides: Side[] = session.role === 'admin' ? ['customer', 'executor'] : [session.role];
  const from = after(query.cursor);
  const perSide = await Promise.all(
    sides.map((side) =>
      db.rows<ConversationRow>(
        `SELECT c.id, c.task_id AS taskId, t.title, c.customer_id AS customerId, c.executor_id AS executorId,
            c.last_message_id AS lastMessageId, c.last_message_at AS lastMessageAt, c.${SIDE_COLUMNS[side].unread} AS unread
       FROM conversation c JOIN task t ON t.id = c.task_id
      WHERE c.${SIDE_COLUMNS[side].account} = ?
        ${from ? 'AND (c.last_message_at < ? OR (c.last_message_at = ? AND c.id < ?))' : ''}
      ORDER BY c.last_message_at DESC, c.id DESC LIMIT ?`,
        [session.accountId, ...(from ? [from.at, from.at, from.id] : []), query.limit + 1],
      ),
    ),
  );
  const rows = perSide
    .flat()
    .sort(newestFirst)
    .slice(0, query.limit + 1);
  const page = toPage(
    rows,
    query.limit,
    (r) => [r.lastMessageAt.toISOString(), r.id],
    (r) => r,
  );

  const lastIds = page.items.flatMap((r) => (r.lastMessageId ? [r.lastMessageId] : []));
  const lastRows =
    lastIds.length === 0
      ? []
      : await db.rows<MessageRow>(
          `SELECT ${MESSAGE_COLUMNS} FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE m.id IN (?)`,
          [lastIds],
        );
  const lastMessages = new Map((await messageViews(db, lastRows)).map((m) => [m.id, m]));
  const names = await accountNames(
    db,
    page.items.flatMap((r) => [r.customerId, r.executorId]),
  );
  const person = (id: number) => ({ id, name: names.get(id) ?? '' });
  return {
    items: page.items.map((r) => ({
      task: { id: r.taskId, title: r.title },
      customer: person(r.customerId),
      executor: person(r.executorId),
      lastMessage: r.lastMessageId ? (lastMessages.get(Number(r.lastMessageId)) ?? null) : null,
      unread: r.unread,
    })),
    nextCursor: page.nextCursor,
  };
}
