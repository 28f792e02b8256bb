// The local Telegram sink answers like the Bot API, so the product's client meets real answers.
import { describe, expect, it } from 'vitest';
import { stack } from '../helpers/http';
import { apiConfig } from '../helpers/money';
import { newChatId, telegramTo } from '../helpers/notifications';

const send = (token: string, body: unknown) =>
  fetch(`${stack.urls.telegram}/bot${token}/sendMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the Telegram sink', () => {
  it('records a sendMessage with the bot token, and refuses a wrong token or an empty text as Telegram does', async () => {
    const chat = newChatId();
    const ok = await send(apiConfig.TELEGRAM_BOT_TOKEN, { chat_id: Number(chat), text: 'Привет <b>' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      ok: true,
      result: { message_id: expect.any(Number), chat: { id: Number(chat) }, text: 'Привет <b>' },
    });
    expect((await telegramTo(chat)).map((m) => m.text)).toEqual(['Привет <b>']);

    const wrongToken = await send('not-the-token', { chat_id: chat, text: 'x' });
    expect(wrongToken.status).toBe(401);
    expect(await wrongToken.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
    expect((await send(apiConfig.TELEGRAM_BOT_TOKEN, { chat_id: chat, text: ' ' })).status).toBe(400);

    const page = await (await fetch(stack.urls.telegram)).text();
    expect(page).toContain('Привет &#60;b&#62;');
    expect((await fetch(`${stack.urls.telegram}/messages?chatId=${chat}`, { method: 'DELETE' })).status).toBe(204);
    expect(await telegramTo(chat)).toEqual([]);
  });
});
