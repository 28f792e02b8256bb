// Conversations (API.md v2): who may write and read, newest first, unread counts kept on the
// conversation row, the contact flag, spaced-out notifications and the per-session message limit.
import { describe, expect, it } from 'vitest';
import { without } from '../helpers/control';
import { eventually, query } from '../helpers/db';
import { errorOf } from '../helpers/http';
import { topUp } from '../helpers/money';
import { theMail } from '../helpers/notifications';
import { postTask } from '../helpers/tasks';
import { admin, register, type Person } from '../helpers/users';

async function postedTask(assignment: 'first' | 'choose' = 'first'): Promise<{ customer: Person; task: any }> {
  const customer = await register('customer', { fname: 'Мария', sname: 'Заказчикова' });
  await topUp(customer, '500.00');
  return { customer, task: await postTask(customer, { reward: '100.00', assignment, title: 'Логотип для кофейни' }) };
}

const write = (person: Person, taskId: number, text: string, executorId?: number) =>
  person.post(`/api/tasks/${taskId}/messages`, { text, ...(executorId ? { executorId } : {}) });

describe('writing and reading a conversation', () => {
  it('lets an executor ask on an actual task and the customer answer; newest first, with pages', async () => {
    const { customer, task } = await postedTask();
    const executor = await register('executor', { fname: 'Пётр', sname: 'Исполнитель' });
    const question = await write(executor, task.id, 'Какие цвета предпочитаете?');
    expect(question.status, question.text).toBe(201);
    expect(question.body).toEqual({
      id: expect.any(Number),
      taskId: task.id,
      executorId: executor.id,
      from: { id: executor.id, name: 'Пётр Исполнитель' },
      text: 'Какие цвета предпочитаете?',
      flags: [],
      createdAt: expect.any(String),
    });
    const answer = await write(customer, task.id, 'Тёплые, коричневый и бежевый', executor.id);
    expect(answer.status, answer.text).toBe(201);
    expect(answer.body).toMatchObject({ executorId: executor.id, from: { id: customer.id, name: 'Мария Заказчикова' } });
    expect((await write(executor, task.id, 'Понял, спасибо')).status).toBe(201);

    for (const reader of [customer, executor]) {
      const first = await reader.get(`/api/tasks/${task.id}/messages?executorId=${executor.id}&limit=2`);
      expect(first.status, first.text).toBe(200);
      expect(first.body.items.map((m: any) => m.text)).toEqual(['Понял, спасибо', 'Тёплые, коричневый и бежевый']);
      const rest = await reader.get(`/api/tasks/${task.id}/messages?executorId=${executor.id}&limit=2&cursor=${first.body.nextCursor}`);
      expect(rest.body).toEqual({ items: [expect.objectContaining({ text: 'Какие цвета предпочитаете?' })], nextCursor: null });
    }
    // The executor may leave executorId out: its own conversation.
    expect((await executor.get(`/api/tasks/${task.id}/messages`)).body.items).toHaveLength(3);
  });

  it('keeps each executor in a conversation of its own with the customer', async () => {
    const { customer, task } = await postedTask('choose');
    const [anna, boris] = await Promise.all([register('executor'), register('executor')]);
    expect((await write(anna, task.id, 'Вопрос Анны')).status).toBe(201);
    expect((await write(boris, task.id, 'Вопрос Бориса')).status).toBe(201);
    expect((await anna.get(`/api/tasks/${task.id}/messages`)).body.items.map((m: any) => m.text)).toEqual(['Вопрос Анны']);
    expect((await customer.get(`/api/tasks/${task.id}/messages?executorId=${boris.id}`)).body.items.map((m: any) => m.text)).toEqual([
      'Вопрос Бориса',
    ]);
    expect(errorOf(await anna.get(`/api/tasks/${task.id}/messages?executorId=${boris.id}`))).toEqual({ status: 403, code: 'forbidden' });
  });

  it('refuses the writers the contract does not name', async () => {
    const { customer, task } = await postedTask('choose');
    const [applicant, stranger, asker] = await Promise.all([register('executor'), register('executor'), register('executor')]);
    const otherCustomer = await register('customer');
    // The customer writes only to an executor who wrote, applied or is assigned, and must name one.
    expect(errorOf(await write(customer, task.id, 'Привет'))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await write(customer, task.id, 'Привет', stranger.id))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await write(otherCustomer, task.id, 'Привет', stranger.id))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await write(await customer.as('executor'), task.id, 'Сам себе'))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await write(await admin(), task.id, 'Админ', stranger.id))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await write(stranger, task.id, 'Чужой разговор', applicant.id))).toEqual({ status: 403, code: 'forbidden' });

    expect((await applicant.post(`/api/tasks/${task.id}/apply`)).status).toBe(201);
    expect((await write(customer, task.id, 'Расскажите о себе', applicant.id)).status).toBe(201);
    expect((await write(asker, task.id, 'Можно вопрос?')).status).toBe(201);
    expect((await customer.post(`/api/tasks/${task.id}/assign`, { executorId: applicant.id })).status).toBe(200);
    // Once the task is in work only its applicants and its executor write; the customer still answers anyone who wrote.
    expect((await write(applicant, task.id, 'Приступаю')).status).toBe(201);
    expect(errorOf(await write(stranger, task.id, 'А можно мне?'))).toEqual({ status: 409, code: 'invalid_state' });
    expect(errorOf(await write(asker, task.id, 'Ещё вопрос'))).toEqual({ status: 409, code: 'invalid_state' });
    expect((await write(customer, task.id, 'Исполнитель уже выбран', asker.id)).status).toBe(201);
    expect(errorOf(await customer.post(`/api/tasks/${task.id}/messages`, { text: '', executorId: asker.id }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    expect(errorOf(await customer.post(`/api/tasks/${task.id}/messages`, { text: 'x'.repeat(2001), executorId: asker.id }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
  });

  it('shows a conversation to its parties only, and to admins once the task is frozen', async () => {
    const { customer, task } = await postedTask();
    const executor = await register('executor');
    expect((await write(executor, task.id, 'Вопрос')).status).toBe(201);
    const path = `/api/tasks/${task.id}/messages?executorId=${executor.id}`;
    expect(errorOf(await (await register('customer')).get(path))).toEqual({ status: 403, code: 'forbidden' });
    const boss = await admin();
    expect(errorOf(await boss.get(path))).toEqual({ status: 403, code: 'forbidden' });
    expect((await boss.post(`/api/admin/tasks/${task.id}/freeze`, { comment: 'Проверка' })).status).toBe(200);
    const read = await boss.get(path);
    expect(read.status, read.text).toBe(200);
    expect(read.body.items.map((m: any) => m.text)).toEqual(['Вопрос']);
    // An admin reading is not a party: the customer's message stays unread.
    const mine = await customer.get('/api/me/conversations');
    expect(mine.body.items.find((c: any) => c.task.id === task.id).unread).toBe(1);
  });
});

describe('my conversations', () => {
  it("lists latest activity first with the last message and the caller's unread count; reading clears it", async () => {
    const customer = await register('customer');
    await topUp(customer, '300.00');
    const [older, newer] = [await postTask(customer, { title: 'Старое' }), await postTask(customer, { title: 'Новое' })];
    const executor = await register('executor', { fname: 'Олег', sname: 'Быстров' });
    expect((await write(executor, older.id, 'Первый вопрос')).status).toBe(201);
    expect((await write(executor, newer.id, 'Вопрос по новому')).status).toBe(201);
    expect((await write(executor, older.id, 'И ещё один')).status).toBe(201);

    const list = await customer.get('/api/me/conversations');
    expect(list.status, list.text).toBe(200);
    expect(list.body.items).toEqual([
      {
        task: { id: older.id, title: 'Старое' },
        customer: { id: customer.id, name: 'Иван Петров' },
        executor: { id: executor.id, name: 'Олег Быстров' },
        lastMessage: expect.objectContaining({ text: 'И ещё один', taskId: older.id, executorId: executor.id }),
        unread: 2,
      },
      expect.objectContaining({ task: { id: newer.id, title: 'Новое' }, unread: 1 }),
    ]);
    expect(list.body.nextCursor).toBeNull();
    // The writer has nothing unread.
    expect((await executor.get('/api/me/conversations')).body.items.map((c: any) => c.unread)).toEqual([0, 0]);

    const page = await customer.get('/api/me/conversations?limit=1');
    expect(page.body.items.map((c: any) => c.task.id)).toEqual([older.id]);
    const next = await customer.get(`/api/me/conversations?limit=1&cursor=${page.body.nextCursor}`);
    expect(next.body).toEqual({ items: [expect.objectContaining({ task: { id: newer.id, title: 'Новое' } })], nextCursor: null });

    expect((await customer.get(`/api/tasks/${older.id}/messages?executorId=${executor.id}`)).status).toBe(200);
    const after = await customer.get('/api/me/conversations');
    expect(after.body.items.map((c: any) => [c.task.id, c.unread])).toEqual([
      [older.id, 0],
      [newer.id, 1],
    ]);
    const stored = await query('primary', 'SELECT customer_unread AS u FROM conversation WHERE task_id = ? AND executor_id = ?', [
      older.id,
      executor.id,
    ]);
    expect(stored).toEqual([{ u: 0 }]);
  });
});

describe('the contact flag', () => {
  it('flags phones, e-mails and links and posts the message anyway', async () => {
    const { customer, task } = await postedTask();
    const executor = await register('executor');
    const phone = await write(executor, task.id, 'Позвоните: +7 (999) 123-45-67');
    expect(phone.status).toBe(201);
    expect(phone.body.flags).toEqual(['contact']);
    expect((await write(customer, task.id, 'Пишите на ivan собака mail.ru', executor.id)).body.flags).toEqual(['contact']);
    expect((await write(customer, task.id, 'Бюджет 1 500,00 ₽, срок 01.12.2026, как в №34', executor.id)).body.flags).toEqual([]);
    const read = await executor.get(`/api/tasks/${task.id}/messages`);
    expect(read.body.items.map((m: any) => m.flags)).toEqual([[], ['contact'], ['contact']]);
  });
});

describe('message notifications', () => {
  it('tells the other party once per MESSAGE_NOTIFY_MINUTES however many messages arrive', async () => {
    const { customer, task } = await postedTask();
    const executor = await register('executor', { fname: 'Нина', sname: 'Письмова' });
    for (const text of ['Первое', 'Второе', 'Третье']) expect((await write(executor, task.id, text)).status).toBe(201);
    const mail = await theMail(customer.email, 'Новое сообщение по заданию «Логотип для кофейни»');
    expect(mail.text).toContain('Нина Письмова пишет: «Первое»');
    expect(mail.text).toContain(`#/tasks/${task.id}`);
    const events = await query(
      'primary',
      "SELECT COUNT(*) AS n FROM outbox WHERE event_type = 'message_received' AND JSON_VALUE(payload, '$.taskId') = ?",
      [String(task.id)],
    );
    expect(Number(events[0].n)).toBe(1);
    // The executor's side has its own clock: the customer's answer notifies the executor.
    expect((await write(customer, task.id, 'Получила', executor.id)).status).toBe(201);
    await theMail(executor.email, 'Новое сообщение по заданию');
  });
});

describe('the message limit', () => {
  it('answers 429 rate_limited with Retry-After past MESSAGE_LIMIT_PER_MINUTE (20) messages a minute of one session', async () => {
    const { task } = await postedTask();
    const executor = await register('executor');
    // All 21 must fall in one minute window: sent at once, early in a minute.
    const second = new Date().getUTCSeconds();
    if (second >= 40) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
    const answers = await Promise.all(Array.from({ length: 21 }, (_, i) => write(executor, task.id, `Сообщение ${i}`)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(20);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.map(errorOf)).toEqual([{ status: 429, code: 'rate_limited' }]);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another session of the same account has a count of its own; other requests are not limited.
    expect((await write(await executor.as('executor'), task.id, 'Из другой сессии')).status).toBe(201);
    expect((await executor.get(`/api/tasks/${task.id}/messages`)).status).toBe(200);
  }, 90_000);

  it('keeps taking messages while memcached is down (nothing is counted)', async () => {
    const { task } = await postedTask();
    const executor = await register('executor');
    await without('memcached1', () =>
      without('memcached2', async () => {
        for (let i = 0; i < 3; i++) expect((await write(executor, task.id, `Без кэша ${i}`)).status).toBe(201);
      }),
    );
    await eventually(async () => expect((await executor.get(`/api/tasks/${task.id}/messages`)).body.items).toHaveLength(3));
  }, 90_000);

  it('answers a repeated Idempotency-Key with the first message and writes it once', async () => {
    const { task } = await postedTask();
    const executor = await register('executor');
    const headers = { 'idempotency-key': `msg-${executor.id}` };
    const first = await executor.post(`/api/tasks/${task.id}/messages`, { text: 'Один раз' }, { headers });
    const again = await executor.post(`/api/tasks/${task.id}/messages`, { text: 'Один раз' }, { headers });
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await executor.get(`/api/tasks/${task.id}/messages`)).body.items).toHaveLength(1);
  });
});
