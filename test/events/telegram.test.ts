// Telegram chats are linked by proof (the deep link and the bot's /start update through the
// webhook), and a chat that refuses the bot is handled as the Bot API's answers say.
import { describe, expect, it } from 'vitest';
import { query } from '../helpers/db';
import { call, errorOf, stack } from '../helpers/http';
import { apiConfig, topUp } from '../helpers/money';
import { allDelivered, failTelegram, jobsOf, newChatId, outboxIdOf, setChannels, telegramTo, theMail } from '../helpers/notifications';
import { eventually } from '../helpers/db';
import { register } from '../helpers/users';

/** `secret: null` sends no header at all. */
const webhook = (update: unknown, secret: string | null = apiConfig.TELEGRAM_WEBHOOK_SECRET) =>
  call('POST', '/api/telegram/webhook', {
    body: update,
    headers: secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret },
  });
const startUpdate = (chatId: number, code: string, type = 'private') => ({
  update_id: 1,
  message: {
    message_id: 1,
    date: 1,
    chat: { id: chatId, type },
    from: { id: chatId, is_bot: false, first_name: 'X' },
    text: `/start ${code}`,
  },
});
const codeOf = (link: string) => new URL(link).searchParams.get('start')!;

describe('linking a chat', () => {
  it('answers a deep link to the bot; Start in a private chat links that chat and the bot says so', async () => {
    const person = await register('customer');
    const { telegramLink } = (await person.get('/api/me/notification-settings')).body;
    expect(new URL(telegramLink).pathname).toBe(`/${apiConfig.TELEGRAM_BOT_USERNAME}`);
    const chat = newChatId();
    const pressed = await fetch(`${stack.urls.telegram}/press-start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chatId: chat, link: telegramLink }),
    });
    const { status, answer } = (await pressed.json()) as { status: number; answer: { method: string; chat_id: number; text: string } };
    expect(status).toBe(200);
    expect(answer).toMatchObject({ method: 'sendMessage', chat_id: Number(chat), text: expect.stringContaining('Готово') });
    expect((await telegramTo(chat)).map((m) => m.text)).toEqual([answer.text]);
    // Linking spent the code (only its hash was kept).
    expect(await query('primary', 'SELECT code_hash FROM telegram_link WHERE account_id = ?', [person.id])).toHaveLength(0);
    expect((await person.get('/api/me/notification-settings')).body.telegramChatId).toBe(chat);
  });

  it('links nothing without the secret header, for a spent, expired or unknown code, or from a group', async () => {
    const person = await register('customer');
    const other = await register('customer');
    const code = codeOf((await person.get('/api/me/notification-settings')).body.telegramLink);
    const chat = Number(newChatId());
    for (const secret of [null, 'wrong-secret']) {
      expect(errorOf(await webhook(startUpdate(chat, code), secret))).toEqual({ status: 401, code: 'unauthenticated' });
    }
    expect((await webhook(startUpdate(chat, code, 'group'))).body.text).toContain('личный чат');
    expect((await webhook(startUpdate(chat, 'x'.repeat(43)))).body.text).toContain('устарела');
    expect((await person.get('/api/me/notification-settings')).body.telegramChatId).toBeNull();

    const expired = codeOf((await other.get('/api/me/notification-settings')).body.telegramLink);
    await query('primary', 'UPDATE telegram_link SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE account_id = ?', [other.id]);
    expect((await webhook(startUpdate(chat, expired))).body.text).toContain('устарела');
    expect((await other.get('/api/me/notification-settings')).body.telegramChatId).toBeNull();

    // The first Start links; the same code a second time, from another chat, does not move it.
    expect((await webhook(startUpdate(chat, code))).body.text).toContain('Готово');
    expect((await webhook(startUpdate(chat + 1, code))).body.text).toContain('устарела');
    expect((await person.get('/api/me/notification-settings')).body.telegramChatId).toBe(String(chat));
    // Other updates are answered 200 and change nothing, so Telegram does not send them again.
    const plain = await webhook({ update_id: 2, message: { chat: { id: chat, type: 'private' }, text: 'hello' }, edited_message: {} });
    expect(plain.status).toBe(200);
    expect(plain.body).toEqual({});
  });
});

describe('a chat that refuses the bot', () => {
  async function customerOnTelegram() {
    const customer = await register('customer');
    const chat = newChatId();
    await setChannels(customer, { email: false, telegramChatId: chat });
    return { customer, chat };
  }

  it('403 (bot blocked): the job fails at once, the chat is unlinked and the person told by e-mail', async () => {
    const { customer, chat } = await customerOnTelegram();
    await failTelegram(1, chat, { status: 403 });
    await topUp(customer, '50.00');
    const outboxId = await outboxIdOf('balance_topped_up', 'accountId', customer.id);
    const [job] = await eventually(async () => {
      const jobs = await jobsOf(outboxId);
      expect(jobs.map((j) => j.status)).toEqual(['failed']);
      return jobs;
    });
    expect(job).toMatchObject({ channel: 'telegram', attempts: 1, lastError: expect.stringContaining('403') });
    expect((await customer.get('/api/me/notification-settings')).body.telegramChatId).toBeNull();
    const mail = await theMail(customer.email, 'Уведомления в Telegram отключены');
    expect(mail.text).toContain('#/settings');
  });

  it('400 that can never succeed: failed after one attempt, the chat kept', async () => {
    const { customer, chat } = await customerOnTelegram();
    await failTelegram(1, chat, { status: 400 });
    await topUp(customer, '52.00');
    const outboxId = await outboxIdOf('balance_topped_up', 'accountId', customer.id);
    const [job] = await eventually(async () => {
      const jobs = await jobsOf(outboxId);
      expect(jobs.map((j) => j.status)).toEqual(['failed']);
      return jobs;
    });
    expect(job).toMatchObject({ attempts: 1, lastError: expect.stringContaining('chat not found') });
    expect((await customer.get('/api/me/notification-settings')).body.telegramChatId).toBe(chat);
  });

  it('429: the job is tried again after retry_after and delivered', async () => {
    const { customer, chat } = await customerOnTelegram();
    await failTelegram(1, chat, { status: 429, retryAfter: 2 });
    await topUp(customer, '53.00');
    const outboxId = await outboxIdOf('balance_topped_up', 'accountId', customer.id);
    const [job] = await allDelivered(outboxId, 1, 60_000);
    expect(job).toMatchObject({ attempts: 2, lastError: null });
    expect((await telegramTo(chat)).filter((m) => m.text.includes('53.00'))).toHaveLength(1);
  });
});
