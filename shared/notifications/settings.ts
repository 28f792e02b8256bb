// Where an account wants its notifications (e-mail on or off, a Telegram chat) and, for executors,
// the categories whose new tasks they want to hear about.
import { z } from 'zod';
import type { RequestDb, Sql } from '../db/request-db';
import { notFound, validationFailed } from '../errors';
import { Id } from '../schemas';
import { findCategory, type Category } from '../tasks/categories';
import { issueTelegramLink } from './telegram-link';

export interface NotificationSettings {
  email: boolean;
  telegramChatId: string | null;
}

/** A numeric chat id (negative for groups) or a public channel's @username, as the Bot API takes them. */
const TelegramChatId = z
  .string()
  .trim()
  .regex(/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/, 'must be a numeric chat id or an @channel name');

export const NotificationSettingsBody = z.strictObject({
  email: z.boolean(),
  // An empty field clears the chat, as null does.
  telegramChatId: z.union([z.literal('').transform(() => null), TelegramChatId, z.null()]),
});

export const CategoryParams = z.strictObject({ categoryId: Id });

async function storedSettings(db: Sql, accountId: number): Promise<NotificationSettings> {
  const [row] = await db.rows<{ email: number; telegramChatId: string | null }>(
    'SELECT notify_email AS email, telegram_chat_id AS telegramChatId FROM account WHERE id = ?',
    [accountId],
  );
  if (!row) throw notFound('Account');
  return { email: row.email === 1, telegramChatId: row.telegramChatId };
}

/** The settings, with a fresh one-time link that links the chat where Start is pressed (telegram-link.ts). */
export async function notificationSettings(db: RequestDb, accountId: number): Promise<NotificationSettings & { telegramLink: string }> {
  // From the primary: a chat linked a moment ago by the webhook is not on the replica yet.
  return { ...(await storedSettings(db.strong, accountId)), telegramLink: await issueTelegramLink(db.strong, accountId) };
}

/**
 * Saves the e-mail switch. `telegramChatId` may only clear the chat (null or "") or repeat the
 * linked one: a chat is linked by proof through telegramLink, never by its id typed in.
 */
export async function saveNotificationSettings(
  db: RequestDb,
  accountId: number,
  input: z.output<typeof NotificationSettingsBody>,
): Promise<NotificationSettings> {
  return db.transaction(async (tx) => {
    const current = await storedSettings(tx, accountId);
    if (input.telegramChatId !== null && input.telegramChatId !== current.telegramChatId) {
      throw validationFailed([
        {
          path: 'telegramChatId',
          message: 'a chat is linked by pressing Start in the bot through telegramLink; here it can only be cleared (null)',
        },
      ]);
    }
    await tx.exec('UPDATE account SET notify_email = ?, telegram_chat_id = ? WHERE id = ?', [
      input.email ? 1 : 0,
      input.telegramChatId,
      accountId,
    ]);
    return { email: input.email, telegramChatId: input.telegramChatId };
  });
}

export async function subscriptions(db: Sql, accountId: number): Promise<{ items: Category[] }> {
  const items = await db.rows<Category>(
    `SELECT c.id, c.slug, c.name FROM subscription s JOIN category c ON c.id = s.category_id
      WHERE s.account_id = ? ORDER BY c.id`,
    [accountId],
  );
  return { items };
}

/** Subscribing twice is one subscription; an unknown category is 404. */
export async function subscribe(db: RequestDb, accountId: number, categoryId: number): Promise<void> {
  if (!(await findCategory(db, categoryId))) throw notFound('Category');
  await db.exec('INSERT IGNORE INTO subscription (account_id, category_id) VALUES (?, ?)', [accountId, categoryId]);
}

/** Unsubscribing from a category one is not subscribed to changes nothing; an unknown category is 404. */
export async function unsubscribe(db: RequestDb, accountId: number, categoryId: number): Promise<void> {
  if (!(await findCategory(db, categoryId))) throw notFound('Category');
  await db.exec('DELETE FROM subscription WHERE account_id = ? AND category_id = ?', [accountId, categoryId]);
}
