// Linking a Telegram chat by proof (issue 10): the settings hand out a one-time deep link
// `https://t.me/<bot>?start=<code>`; pressing Start in Telegram sends the bot `/start <code>`
// from the person's own private chat, and Telegram posts that update to our webhook (setWebhook,
// with its secret_token sent back in X-Telegram-Bot-Api-Secret-Token: core.telegram.org/bots/api#setwebhook).
// Only then is that chat linked. A chat id typed into a form proves nothing, so it is never taken.
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { hashToken, newToken } from '../accounts/tokens';
import { config } from '../config';
import type { RequestDb, Sql } from '../db/request-db';
import { unauthenticated } from '../errors';

/** How long a link works: long enough to open Telegram, short enough that a leaked one soon dies. */
const LINK_VALID_MINUTES = 60;

/** A fresh deep link for the account; earlier open ones keep working until used or expired. */
export async function issueTelegramLink(db: Sql, accountId: number): Promise<string> {
  const code = newToken(); // 43 characters of A-Za-z0-9_-: a valid start parameter (at most 64 of those)
  await db.exec('DELETE FROM telegram_link WHERE account_id = ? AND expires_at < NOW(3)', [accountId]);
  await db.exec(
    `INSERT INTO telegram_link (code_hash, account_id, expires_at) VALUES (?, ?, NOW(3) + INTERVAL ${LINK_VALID_MINUTES} MINUTE)`,
    [hashToken(code), accountId],
  );
  return `https://t.me/${config.TELEGRAM_BOT_USERNAME}?start=${code}`;
}

/** The part of Telegram's Update we read; everything else in it is ignored (Telegram adds fields). */
export const TelegramUpdate = z.object({
  update_id: z.number().int(),
  message: z
    .object({
      chat: z.object({ id: z.number().int(), type: z.string() }),
      text: z.string().max(4096).optional(),
    })
    .optional(),
});

/** What the webhook answers: Telegram runs a method given in the answer (here, a reply to the chat). */
export type WebhookAnswer = { method: 'sendMessage'; chat_id: number; text: string } | Record<string, never>;

function secretMatches(given: string | undefined): boolean {
  const expected = Buffer.from(config.TELEGRAM_WEBHOOK_SECRET);
  const actual = Buffer.from(given ?? '');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * POST /api/telegram/webhook. A `/start <code>` from a private chat with an open code links that
 * chat and spends every code of the account. Anything else is answered 200 and changes nothing:
 * any other answer makes Telegram send the same update again.
 */
export async function handleTelegramUpdate(
  db: RequestDb,
  secretHeader: string | undefined,
  update: z.output<typeof TelegramUpdate>,
): Promise<WebhookAnswer> {
  if (!secretMatches(secretHeader)) throw unauthenticated('Not from Telegram: wrong X-Telegram-Bot-Api-Secret-Token');
  const message = update.message;
  const code = /^\/start(?:@\w+)?\s+([A-Za-z0-9_-]{1,64})$/.exec(message?.text?.trim() ?? '')?.[1];
  if (!message || !code) return {};
  const reply = (text: string): WebhookAnswer => ({ method: 'sendMessage', chat_id: message.chat.id, text });
  if (message.chat.type !== 'private') return reply('Привязать можно только личный чат с ботом.');
  const chatId = String(message.chat.id);
  const linked = await db.transaction(async (tx) => {
    const [link] = await tx.rows<{ accountId: number }>(
      'SELECT account_id AS accountId FROM telegram_link WHERE code_hash = ? AND expires_at > NOW(3) FOR UPDATE',
      [hashToken(code)],
    );
    if (!link) return false;
    await tx.exec('UPDATE account SET telegram_chat_id = ? WHERE id = ?', [chatId, link.accountId]);
    await tx.exec('DELETE FROM telegram_link WHERE account_id = ?', [link.accountId]);
    return true;
  });
  return reply(
    linked
      ? 'Готово: уведомления execorder будут приходить в этот чат. Отключить их можно в настройках уведомлений на сайте.'
      : 'Ссылка устарела или уже использована. Откройте настройки уведомлений на сайте и нажмите новую ссылку.',
  );
}
