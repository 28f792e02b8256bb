import { describe, expect, it } from 'vitest';
import { call, errorOf } from '../helpers/http';
import { linkTelegram, newCategory, newChatId } from '../helpers/notifications';
import { register } from '../helpers/users';

describe('notification settings', () => {
  it('start with e-mail on and no Telegram chat, keep what is put, and link a chat only by proof', async () => {
    const person = await register('customer');
    const settings = (await person.get('/api/me/notification-settings')).body;
    expect(settings).toEqual({
      email: true,
      telegramChatId: null,
      telegramLink: expect.stringMatching(/^https:\/\/t\.me\/\w+\?start=[\w-]{43}$/),
    });

    // A chat id typed in proves nothing: refused, as is a public channel.
    for (const chat of ['123456789', '@execorder_news']) {
      const refused = await person.put('/api/me/notification-settings', { email: false, telegramChatId: chat });
      expect(errorOf(refused)).toEqual({ status: 400, code: 'validation_failed' });
      expect(refused.body.error.details[0].path).toBe('telegramChatId');
    }
    const put = await person.put('/api/me/notification-settings', { email: false, telegramChatId: null });
    expect(put.body).toEqual({ email: false, telegramChatId: null });

    const chat = newChatId();
    await linkTelegram(person, chat);
    expect((await person.get('/api/me/notification-settings')).body).toMatchObject({ email: false, telegramChatId: chat });
    // The same account in another role has the same settings; saving them as they are keeps the chat.
    const executor = await person.as('executor');
    expect((await executor.get('/api/me/notification-settings')).body).toMatchObject({ email: false, telegramChatId: chat });
    expect((await executor.put('/api/me/notification-settings', { email: true, telegramChatId: chat })).body).toEqual({
      email: true,
      telegramChatId: chat,
    });
    expect((await person.put('/api/me/notification-settings', { email: true, telegramChatId: '' })).body).toEqual({
      email: true,
      telegramChatId: null,
    });
  });

  it('refuses what is not a setting', async () => {
    const person = await register('customer');
    const fieldOf = (res: { body: { error: { details: { path: string }[] } } }) => res.body.error.details.map((d) => d.path);
    const badChat = await person.put('/api/me/notification-settings', { email: true, telegramChatId: 'not a chat' });
    expect(errorOf(badChat)).toEqual({ status: 400, code: 'validation_failed' });
    expect(fieldOf(badChat)).toEqual(['telegramChatId']);
    const missing = await person.put('/api/me/notification-settings', { telegramChatId: null });
    expect(fieldOf(missing)).toEqual(['email']);
    const unknown = await person.put('/api/me/notification-settings', { email: true, telegramChatId: null, sms: true });
    expect(fieldOf(unknown)).toEqual(['sms']);
    expect(errorOf(await person.put('/api/me/notification-settings', { email: 'yes', telegramChatId: null }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    expect(errorOf(await call('GET', '/api/me/notification-settings'))).toEqual({ status: 401, code: 'unauthenticated' });
    expect((await person.get('/api/me/notification-settings')).body).toMatchObject({ email: true, telegramChatId: null });
  });
});

describe('subscriptions', () => {
  it('lets an executor subscribe to categories and leave them, each call idempotent', async () => {
    const executor = await register('executor');
    const categoryId = await newCategory();
    expect((await executor.get('/api/me/subscriptions')).body).toEqual({ items: [] });
    expect((await executor.put(`/api/me/subscriptions/${categoryId}`)).status).toBe(204);
    expect((await executor.put(`/api/me/subscriptions/${categoryId}`)).status).toBe(204);
    expect((await executor.put('/api/me/subscriptions/1')).status).toBe(204);
    const list = await executor.get('/api/me/subscriptions');
    expect(list.body.items.map((c: { id: number }) => c.id)).toEqual([1, categoryId]);
    expect(list.body.items[1]).toEqual({ id: categoryId, slug: expect.any(String), name: expect.any(String) });

    expect((await executor.del(`/api/me/subscriptions/${categoryId}`)).status).toBe(204);
    expect((await executor.del(`/api/me/subscriptions/${categoryId}`)).status).toBe(204);
    expect((await executor.get('/api/me/subscriptions')).body.items.map((c: { id: number }) => c.id)).toEqual([1]);
  });

  it('answers 404 for an unknown category, 400 for a malformed id, 403 to other roles, 401 without a session', async () => {
    const executor = await register('executor');
    expect(errorOf(await executor.put('/api/me/subscriptions/65000'))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await executor.del('/api/me/subscriptions/65000'))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await executor.put('/api/me/subscriptions/design'))).toEqual({ status: 400, code: 'validation_failed' });
    const customer = await executor.as('customer');
    expect(errorOf(await customer.get('/api/me/subscriptions'))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await customer.put('/api/me/subscriptions/1'))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await call('PUT', '/api/me/subscriptions/1'))).toEqual({ status: 401, code: 'unauthenticated' });
  });
});
