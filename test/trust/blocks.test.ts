// Blocks and appeals (API.md v2): a blocked account sees why, is refused exactly the listed actions
// with 403 account_blocked, keeps the others, appeals once at a time, and is told every decision.
import { describe, expect, it } from 'vitest';
import { doneTask, earn } from '../helpers/earn';
import { call, errorOf } from '../helpers/http';
import { topUp } from '../helpers/money';
import { theMail } from '../helpers/notifications';
import { postTask } from '../helpers/tasks';
import { admin, login, register, type Person } from '../helpers/users';

const REASON = 'Просил оплату вне площадки';

async function block(person: Person, reason = REASON) {
  const res = await (await admin()).post(`/api/admin/accounts/${person.id}/block`, { reason });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

const blockedError = (answer: { status: number; body: any }) => ({
  status: answer.status,
  code: answer.body?.error?.code,
  message: answer.body?.error?.message,
});

describe('blocking an account', () => {
  it('answers the block, shows it in /api/me of the open session and in the login answer, and mails the reason', async () => {
    const person = await register('customer');
    const answer = await block(person);
    expect(answer).toEqual({ id: person.id, blocked: { reason: REASON, since: expect.any(String) } });
    expect(new Date(answer.blocked.since).toISOString()).toBe(answer.blocked.since);
    // The open session stays and its next answer says so.
    const me = await person.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.blocked).toEqual(answer.blocked);
    const again = await call('POST', '/api/sessions', { body: { email: person.email, password: person.password, role: 'executor' } });
    expect(again.status).toBe(201);
    expect(again.body.account.blocked).toEqual(answer.blocked);
    const mail = await theMail(person.email, 'заблокирована');
    expect(mail.text).toContain(REASON);
    expect((await (await register('customer')).get('/api/me')).body.blocked).toBeNull();
  });

  it('refuses creating and taking tasks, applying, messages, reviews and top-ups with 403 account_blocked and the reason', async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    await topUp(customer, '500.00');
    const done = await doneTask(customer, executor);
    const first = await postTask(customer);
    const choose = await postTask(customer, { assignment: 'choose' });
    await block(customer);
    await block(executor);
    const refused = { status: 403, code: 'account_blocked', message: REASON };
    expect(blockedError(await customer.post('/api/tasks', { title: 'T', description: 'd', reward: '10.00', categoryId: 1 }))).toEqual(
      refused,
    );
    expect(blockedError(await customer.post('/api/payments', { amount: '100.00' }))).toEqual(refused);
    expect(blockedError(await executor.post(`/api/tasks/${first.id}/take`))).toEqual(refused);
    expect(blockedError(await executor.post(`/api/tasks/${choose.id}/apply`))).toEqual(refused);
    expect(blockedError(await executor.post(`/api/tasks/${first.id}/messages`, { text: 'Вопрос' }))).toEqual(refused);
    expect(blockedError(await customer.post(`/api/tasks/${done.id}/messages`, { text: 'Спасибо', executorId: executor.id }))).toEqual(
      refused,
    );
    expect(blockedError(await customer.post(`/api/tasks/${done.id}/review`, { rating: 5, text: '' }))).toEqual(refused);
    expect(blockedError(await executor.post(`/api/tasks/${done.id}/review`, { rating: 5, text: '' }))).toEqual(refused);
    // Nothing was done: the open task is still free.
    expect((await call('GET', `/api/tasks/${first.id}`)).body).toMatchObject({ status: 'actual', executor: null });
  });

  it('keeps logging in, reading, finishing its own deals, payouts of earned salary and appealing', async () => {
    const executor = await register('executor');
    await earn(executor, '200.00');
    const customer = await register('customer');
    await topUp(customer, '300.00');
    const task = await postTask(customer, { reward: '100.00' });
    expect((await executor.post(`/api/tasks/${task.id}/take`)).status).toBe(200);
    await block(executor);
    await block(customer);

    const again = await login(executor.email, executor.password, 'executor');
    for (const path of [
      '/api/me',
      '/api/me/tasks',
      '/api/tasks',
      `/api/tasks/${task.id}`,
      '/api/payouts',
      '/api/me/ledger',
      '/api/sessions',
      '/api/me/conversations',
      '/api/me/appeals',
      `/api/accounts/${executor.id}/profile`,
    ]) {
      expect((await again.get(path)).status, path).toBe(200);
    }
    const payout = await again.post('/api/payouts', { amount: '180.00', method: 'card', destination: '4111111111111111' });
    expect(payout.status, payout.text).toBe(201);
    // Work already under way can be finished: the counterparty's money is not held hostage.
    expect((await executor.post(`/api/tasks/${task.id}/submit`)).status).toBe(200);
    expect((await customer.post(`/api/tasks/${task.id}/accept`)).status).toBe(200);
    expect((await again.post('/api/me/appeals', { text: 'Я не просил оплату вне площадки' })).status).toBe(201);
    expect((await (await register('customer')).get(`/api/accounts/${executor.id}/profile`)).body.blocked).toBe(true);
  });
});

describe('unblocking', () => {
  it('lifts the block with 200 {id, blocked: null}, tells the account, and refuses what makes no sense', async () => {
    const person = await register('executor');
    const boss = await admin();
    expect(errorOf(await boss.post(`/api/admin/accounts/${person.id}/unblock`, { comment: 'x' }))).toEqual({
      status: 409,
      code: 'invalid_state',
    });
    await block(person);
    expect(errorOf(await boss.post(`/api/admin/accounts/${person.id}/block`, { reason: 'Ещё раз' }))).toEqual({
      status: 409,
      code: 'invalid_state',
    });
    const lifted = await boss.post(`/api/admin/accounts/${person.id}/unblock`, { comment: 'Проверили, всё в порядке' });
    expect(lifted.status, lifted.text).toBe(200);
    expect(lifted.body).toEqual({ id: person.id, blocked: null });
    expect((await person.get('/api/me')).body.blocked).toBeNull();
    const mail = await theMail(person.email, 'Блокировка вашей учётной записи execorder снята');
    expect(mail.text).toContain('Проверили, всё в порядке');

    expect(errorOf(await boss.post('/api/admin/accounts/999999999/block', { reason: 'x' }))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await boss.post(`/api/admin/accounts/${person.id}/block`, { reason: '' }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    expect(errorOf(await person.post(`/api/admin/accounts/${person.id}/block`, { reason: 'x' }))).toEqual({
      status: 403,
      code: 'forbidden',
    });
  });
});

describe('appeals', () => {
  it('files one open appeal of a blocked account, decides it, and mails each decision', async () => {
    const person = await register('customer');
    expect(errorOf(await person.post('/api/me/appeals', { text: 'Я не заблокирован' }))).toEqual({ status: 409, code: 'invalid_state' });
    await block(person);
    const filed = await person.post('/api/me/appeals', { text: 'Это недоразумение' });
    expect(filed.status, filed.text).toBe(201);
    expect(filed.body).toMatchObject({ id: expect.any(Number), text: 'Это недоразумение', status: 'open', answer: null, decidedAt: null });
    expect(new Date(filed.body.answerBy).getTime() - new Date(filed.body.createdAt).getTime()).toBe(5 * 86_400_000);
    expect(errorOf(await person.post('/api/me/appeals', { text: 'Ещё одна' }))).toEqual({ status: 409, code: 'conflict' });

    const boss = await admin();
    const queue = await boss.get('/api/admin/appeals?status=open&limit=100');
    expect(queue.status).toBe(200);
    const ids = queue.body.items.map((a: any) => a.id);
    expect(ids).toContain(filed.body.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(errorOf(await person.get('/api/admin/appeals'))).toEqual({ status: 403, code: 'forbidden' });

    const upheld = await boss.post(`/api/admin/appeals/${filed.body.id}/decide`, {
      decision: 'upheld',
      comment: 'Переписка подтверждает нарушение',
    });
    expect(upheld.status, upheld.text).toBe(200);
    expect(upheld.body).toMatchObject({
      id: filed.body.id,
      status: 'upheld',
      answer: 'Переписка подтверждает нарушение',
      decidedAt: expect.any(String),
    });
    expect((await person.get('/api/me')).body.blocked).toMatchObject({ reason: REASON });
    expect(errorOf(await boss.post(`/api/admin/appeals/${filed.body.id}/decide`, { decision: 'lifted', comment: 'x' }))).toEqual({
      status: 409,
      code: 'invalid_state',
    });
    expect((await theMail(person.email, 'Апелляция рассмотрена: блокировка остаётся')).text).toContain('Переписка подтверждает нарушение');

    const second = await person.post('/api/me/appeals', { text: 'Прошу пересмотреть' });
    expect(second.status).toBe(201);
    const lifted = await boss.post(`/api/admin/appeals/${second.body.id}/decide`, { decision: 'lifted', comment: 'Сняли блокировку' });
    expect(lifted.body).toMatchObject({ status: 'lifted', answer: 'Сняли блокировку' });
    expect((await person.get('/api/me')).body.blocked).toBeNull();
    await theMail(person.email, 'Апелляция удовлетворена: блокировка снята');
    const mine = await person.get('/api/me/appeals');
    expect(mine.body.items.map((a: any) => [a.id, a.status])).toEqual([
      [second.body.id, 'lifted'],
      [filed.body.id, 'upheld'],
    ]);
    expect(errorOf(await boss.post('/api/admin/appeals/999999999/decide', { decision: 'lifted', comment: 'x' }))).toEqual({
      status: 404,
      code: 'not_found',
    });
  });

  it('lets exactly one of 5 concurrent appeals open', async () => {
    const person = await register('executor');
    await block(person);
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => person.post('/api/me/appeals', { text: `Апелляция ${i}` })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => errorOf(r).code === 'conflict')).toHaveLength(4);
  });

  it('closes an open appeal as lifted when an admin unblocks the account directly', async () => {
    const person = await register('executor');
    await block(person);
    const filed = await person.post('/api/me/appeals', { text: 'Разблокируйте' });
    expect((await (await admin()).post(`/api/admin/accounts/${person.id}/unblock`, { comment: 'Разобрались' })).status).toBe(200);
    const [appeal] = (await person.get('/api/me/appeals')).body.items;
    expect(appeal).toMatchObject({ id: filed.body.id, status: 'lifted', answer: 'Разобрались' });
  });
});
