import { describe, expect, it } from 'vitest';
import { eventually, query } from '../helpers/db';
import { errorOf } from '../helpers/http';
import { expectBooksBalanced, expectMoney, topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { register } from '../helpers/users';

const body = { title: 'Один раз', description: 'd', reward: '70.00', categoryId: 3 };

describe('Idempotency-Key', () => {
  it('creates one task for repeated creates with the same key, and answers the same', async () => {
    const customer = await register('customer');
    await topUp(customer, '500.00');
    const headers = { 'idempotency-key': 'create-once-1' };
    const first = await customer.post('/api/tasks', body, { headers });
    const repeats = await Promise.all([1, 2, 3].map(() => customer.post('/api/tasks', body, { headers })));
    expect(first.status).toBe(201);
    for (const r of repeats) {
      expect(r.status).toBe(201);
      expect(r.body).toEqual(first.body);
    }
    expect((await customer.get('/api/me/tasks')).body.items).toHaveLength(1);
    await expectMoney(customer, { balance: '430.00', balanceHeld: '70.00' });
    await expectBooksBalanced();
  });

  it('creates once even when the same key arrives 5 times at the same moment', async () => {
    const customer = await register('customer');
    await topUp(customer, '500.00');
    const headers = { 'idempotency-key': 'simultaneous' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => customer.post('/api/tasks', body, { headers })));
    expect(answers.every((a) => a.status === 201)).toBe(true);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect((await customer.get('/api/me/tasks')).body.items).toHaveLength(1);
  });

  it('answers 409 idempotency_key_reused for the same key with another body', async () => {
    const customer = await register('customer');
    await topUp(customer, '500.00');
    const headers = { 'idempotency-key': 'reused' };
    expect((await customer.post('/api/tasks', body, { headers })).status).toBe(201);
    const other = await customer.post('/api/tasks', { ...body, reward: '71.00' }, { headers });
    expect(errorOf(other)).toEqual({ status: 409, code: 'idempotency_key_reused' });
  });

  it('keeps keys per account, and rejects a malformed key', async () => {
    const one = await register('customer');
    const two = await register('customer');
    await topUp(one, '100.00');
    await topUp(two, '100.00');
    const headers = { 'idempotency-key': 'shared-name' };
    const a = await one.post('/api/tasks', body, { headers });
    const b = await two.post('/api/tasks', body, { headers });
    expect(a.body.id).not.toBe(b.body.id);
    const bad = await one.post('/api/tasks', body, { headers: { 'idempotency-key': 'x'.repeat(101) } });
    expect(errorOf(bad)).toEqual({ status: 400, code: 'validation_failed' });
  });

  it('replays a refusal as the first answer without acting again', async () => {
    const customer = await register('customer');
    const headers = { 'idempotency-key': 'too-poor' };
    const first = await customer.post('/api/tasks', body, { headers });
    expect(errorOf(first)).toEqual({ status: 409, code: 'insufficient_funds' });
    await topUp(customer, '100.00');
    const again = await customer.post('/api/tasks', body, { headers });
    expect(again.status).toBe(409);
    expect(again.body).toEqual(first.body);
    await expectMoney(customer, { balance: '100.00', balanceHeld: '0.00' });
  });

  it('answers a repeated take and a repeated submit with their first answers, doing each once', async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    await topUp(customer, '100.00');
    const task = await postTask(customer, { reward: '100.00' });
    const take = { 'idempotency-key': `take-${task.id}` };
    const taken = await executor.post(`/api/tasks/${task.id}/take`, undefined, { headers: take });
    expect(taken.status).toBe(200);
    const retook = await executor.post(`/api/tasks/${task.id}/take`, undefined, { headers: take });
    expect(retook.status).toBe(200);
    expect(retook.body).toEqual(taken.body);
    // Without the key a second take is a new request, refused.
    expect(errorOf(await executor.post(`/api/tasks/${task.id}/take`)).status).toBe(409);

    const submit = { 'idempotency-key': `submit-${task.id}` };
    const [first, ...repeats] = await Promise.all(
      [1, 2, 3].map(() => executor.post(`/api/tasks/${task.id}/submit`, { comment: 'готово' }, { headers: submit })),
    );
    expect(first!.status).toBe(200);
    for (const r of repeats) expect(r.body).toEqual(first!.body);
    const seen = await customer.get(`/api/tasks/${task.id}`);
    expect(seen.body.history.map((h: { action: string }) => h.action)).toEqual(['take', 'submit']);
    const other = await executor.post(`/api/tasks/${task.id}/submit`, { comment: 'другое' }, { headers: submit });
    expect(errorOf(other)).toEqual({ status: 409, code: 'idempotency_key_reused' });
  });

  it('answers a repeated create with the task as its create left it, even after it was taken, and holds the reward once', async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    await topUp(customer, '500.00');
    const headers = { 'idempotency-key': 'create-then-taken' };
    const first = await customer.post('/api/tasks', body, { headers });
    expect(first.status).toBe(201);
    expect((await executor.post(`/api/tasks/${first.body.id}/take`)).status).toBe(200);
    const again = await customer.post('/api/tasks', body, { headers });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.body.status).toBe('actual');
    expect((await customer.get('/api/me/tasks')).body.items).toHaveLength(1);
    await expectMoney(customer, { balance: '430.00', balanceHeld: '70.00' });
    await expectBooksBalanced();
  });

  it('lets one of a concurrent pair with one key create, and answers both alike', async () => {
    const customer = await register('customer');
    await topUp(customer, '500.00');
    const headers = { 'idempotency-key': 'pair' };
    const [one, two] = await Promise.all([1, 2].map(() => customer.post('/api/tasks', body, { headers })));
    expect(one!.status).toBe(201);
    expect(two!.status).toBe(201);
    expect(two!.body).toEqual(one!.body);
    expect((await customer.get('/api/me/tasks')).body.items).toHaveLength(1);
    await expectMoney(customer, { balance: '430.00', balanceHeld: '70.00' });
    await expectBooksBalanced();
  });

  it('answers a refused take repeated with its first 409, even once the task is free again', async () => {
    const customer = await register('customer');
    const first = await register('executor');
    const second = await register('executor');
    await topUp(customer, '100.00');
    const task = await postTask(customer, { reward: '100.00' });
    expect((await first.post(`/api/tasks/${task.id}/take`)).status).toBe(200);
    const headers = { 'idempotency-key': `late-take-${task.id}` };
    const refused = await second.post(`/api/tasks/${task.id}/take`, undefined, { headers });
    expect(errorOf(refused)).toEqual({ status: 409, code: 'task_taken' });
    expect((await first.post(`/api/tasks/${task.id}/abandon`)).status).toBe(200);
    const again = await second.post(`/api/tasks/${task.id}/take`, undefined, { headers });
    expect(again.status).toBe(409);
    expect(again.body).toEqual(refused.body);
    const seen = await customer.get(`/api/tasks/${task.id}`);
    expect(seen.body).toMatchObject({ status: 'actual', executor: null });
    // The task was free: without the key the same take is a new request, and it succeeds.
    expect((await second.post(`/api/tasks/${task.id}/take`)).status).toBe(200);
  });

  it('answers a repeated payment with the same payment and link, and creates one', async () => {
    const customer = await register('customer');
    const headers = { 'idempotency-key': 'pay-once' };
    const first = await customer.post('/api/payments', { amount: '250.00' }, { headers });
    const again = await customer.post('/api/payments', { amount: '250.00' }, { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await customer.get('/api/payments')).body.items).toHaveLength(1);
  });

  it('answers a repeat refused before its transaction the first time with that refusal, though its check now passes', async () => {
    const customer = await register('customer');
    await topUp(customer, '100.00');
    const { next } = (await query<{ next: number }>('primary', 'SELECT MAX(id) + 50 AS next FROM category'))[0]!;
    const headers = { 'idempotency-key': `no-category-${next}` };
    const create = { ...body, categoryId: next };
    const first = await customer.post('/api/tasks', create, { headers });
    expect(errorOf(first)).toEqual({ status: 400, code: 'validation_failed' });
    // The category appears; the repeat's check passes, and its key finds the first refusal.
    await query('primary', 'INSERT INTO category (id, slug, name) VALUES (?, ?, ?)', [next, `late-${next}`, 'Появилась позже']);
    await eventually(async () => expect(await query('replica', 'SELECT id FROM category WHERE id = ?', [next])).toHaveLength(1));
    const again = await customer.post('/api/tasks', create, { headers });
    expect(again.status).toBe(400);
    expect(again.body).toEqual(first.body);
    await expectMoney(customer, { balance: '100.00', balanceHeld: '0.00' });
    expect((await customer.post('/api/tasks', create)).status).toBe(201);
  });
});
