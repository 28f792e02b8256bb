// Payouts: salary → salaryHeld on request; an admin approves (money leaves) or rejects (back to salary).
import { describe, expect, it } from 'vitest';
import { earn } from '../helpers/earn';
import { query } from '../helpers/db';
import { errorOf } from '../helpers/http';
import { expectBooksBalanced, expectMoney } from '../helpers/money';
import { admin, register } from '../helpers/users';

const card = '4111111111111111';

describe('POST /api/payouts', () => {
  it('holds the amount and lists the payout', async () => {
    const executor = await register('executor');
    await earn(executor, '1000.00'); // salary 900.00
    const res = await executor.post('/api/payouts', { amount: '300.00', method: 'sbp', destination: '+79991234567', bank: 'Т-Банк' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(Number),
      amount: '300.00',
      method: 'sbp',
      destination: '+79991234567',
      bank: 'Т-Банк',
      status: 'created',
      comment: null,
      decidedAt: null,
    });
    await expectMoney(executor, { salary: '600.00', salaryHeld: '300.00' });
    expect((await executor.get('/api/payouts')).body.items[0]).toEqual(res.body);
    await expectBooksBalanced();
  });

  it.each([
    ['sbp', '89991234567'],
    ['sbp', '+7999123456'],
    ['sbp', '+380991234567'],
    ['card', '4111111111111112'],
    ['card', '411111111111'],
    ['card', '4111 1111 1111 1111'],
  ])('refuses a %s destination %s with 400', async (method, destination) => {
    const executor = await register('executor');
    const res = await executor.post('/api/payouts', {
      amount: '100.00',
      method,
      destination,
      ...(method === 'sbp' ? { bank: 'Сбербанк' } : {}),
    });
    expect(errorOf(res)).toEqual({ status: 400, code: 'validation_failed' });
    expect(res.body.error.details[0].path).toBe('destination');
  });

  it('refuses qiwi for a new payout, sbp without a bank or with a long one, and a bank on a card payout, holding nothing', async () => {
    const executor = await register('executor');
    await earn(executor, '1000.00'); // salary 900.00
    const refused = [
      [{ method: 'qiwi', destination: '+79991234567' }, 'method'],
      [{ method: 'sbp', destination: '+79991234567' }, 'bank'],
      [{ method: 'sbp', destination: '+79991234567', bank: '  ' }, 'bank'],
      [{ method: 'sbp', destination: '+79991234567', bank: 'б'.repeat(61) }, 'bank'],
      [{ method: 'card', destination: card, bank: 'Сбербанк' }, 'bank'],
    ] as const;
    for (const [body, path] of refused) {
      const res = await executor.post('/api/payouts', { amount: '100.00', ...body });
      expect(errorOf(res), JSON.stringify(body)).toEqual({ status: 400, code: 'validation_failed' });
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([path]);
    }
    const qiwi = await executor.post('/api/payouts', { amount: '100.00', method: 'qiwi', destination: '+79991234567' });
    expect(qiwi.body.error.details[0].message).toContain('QIWI');
    await expectMoney(executor, { salary: '900.00', salaryHeld: '0.00' });
    const cardPayout = await executor.post('/api/payouts', { amount: '100.00', method: 'card', destination: card, bank: null });
    expect(cardPayout.status).toBe(201);
    expect(cardPayout.body).toMatchObject({ method: 'card', bank: null });
  });

  it('refuses more than the salary with 409 insufficient_funds, and customers with 403', async () => {
    const executor = await register('executor');
    expect(errorOf(await executor.post('/api/payouts', { amount: '100.00', method: 'card', destination: card }))).toEqual({
      status: 409,
      code: 'insufficient_funds',
    });
    const customer = await executor.as('customer');
    expect(errorOf(await customer.post('/api/payouts', { amount: '100.00', method: 'card', destination: card }))).toEqual({
      status: 403,
      code: 'forbidden',
    });
  });

  it('lets exactly one of two concurrent payouts through when together they exceed the salary', async () => {
    const executor = await register('executor');
    await earn(executor, '500.00'); // salary 450.00
    const [a, b] = await Promise.all([
      executor.post('/api/payouts', { amount: '300.00', method: 'card', destination: card }),
      executor.post('/api/payouts', { amount: '300.00', method: 'card', destination: card }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    await expectMoney(executor, { salary: '150.00', salaryHeld: '300.00' });
    await expectBooksBalanced();
  });
});

describe('admin review of payouts', () => {
  it('approves: the money leaves the system, the executor sees it in history', async () => {
    const boss = await admin();
    const executor = await register('executor', { fname: 'Выплата', sname: 'Тестовая' });
    await earn(executor, '200.00'); // salary 180.00
    const payout = (await executor.post('/api/payouts', { amount: '180.00', method: 'card', destination: card })).body;
    const queue = await boss.get('/api/admin/payouts?status=created&limit=100');
    const queued = queue.body.items.find((p: { id: number }) => p.id === payout.id);
    expect(queued).toMatchObject({ amount: '180.00', executor: { id: executor.id, name: 'Выплата Тестовая' } });
    const ids = queue.body.items.map((p: { id: number }) => p.id);
    expect(ids).toEqual([...ids].sort((x: number, y: number) => x - y));
    const approved = await boss.post(`/api/admin/payouts/${payout.id}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: payout.id, status: 'received', decidedAt: expect.any(String) });
    await expectMoney(executor, { salary: '0.00', salaryHeld: '0.00' });
    expect(errorOf(await boss.post(`/api/admin/payouts/${payout.id}/reject`, { comment: 'late' }))).toEqual({
      status: 409,
      code: 'invalid_state',
    });
    expect((await executor.get('/api/payouts')).body.items[0]).toMatchObject({ id: payout.id, status: 'received' });
    await expectBooksBalanced();
  });

  it('rejects with a comment: salaryHeld goes back to salary', async () => {
    const boss = await admin();
    const executor = await register('executor');
    await earn(executor, '200.00');
    const payout = (await executor.post('/api/payouts', { amount: '100.00', method: 'sbp', destination: '+79990000000', bank: 'ВТБ' }))
      .body;
    expect(errorOf(await boss.post(`/api/admin/payouts/${payout.id}/reject`, {}))).toEqual({ status: 400, code: 'validation_failed' });
    const rejected = await boss.post(`/api/admin/payouts/${payout.id}/reject`, { comment: 'Неверный кошелёк' });
    expect(rejected.body).toMatchObject({ status: 'rejected', comment: 'Неверный кошелёк' });
    await expectMoney(executor, { salary: '180.00', salaryHeld: '0.00' });
    await expectBooksBalanced();
  });

  it('decides once when approve and reject race', async () => {
    const boss = await admin();
    const executor = await register('executor');
    await earn(executor, '200.00');
    const payout = (await executor.post('/api/payouts', { amount: '150.00', method: 'card', destination: card })).body;
    const answers = await Promise.all([
      boss.post(`/api/admin/payouts/${payout.id}/approve`, {}),
      boss.post(`/api/admin/payouts/${payout.id}/reject`, { comment: 'race' }),
      boss.post(`/api/admin/payouts/${payout.id}/approve`, {}),
    ]);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => errorOf(a).code === 'invalid_state')).toHaveLength(2);
    await expectBooksBalanced();
  });

  it('still lists, approves and rejects payouts made by QIWI before it was withdrawn, with method and bank', async () => {
    const boss = await admin();
    const executor = await register('executor');
    await earn(executor, '500.00'); // salary 450.00
    // A payout from before: made as any other, then given the method it had then.
    const old = [
      (await executor.post('/api/payouts', { amount: '100.00', method: 'card', destination: card })).body,
      (await executor.post('/api/payouts', { amount: '200.00', method: 'card', destination: card })).body,
    ];
    await query('primary', "UPDATE payout SET method = 'qiwi', destination = '+79991112233' WHERE id IN (?)", [old.map((p) => p.id)]);
    const sbp = (await executor.post('/api/payouts', { amount: '100.00', method: 'sbp', destination: '+79994445566', bank: 'Альфа-Банк' }))
      .body;
    // The review queue is oldest first and shared with every other test: read it to the end.
    const queue: { id: number }[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: { items: { id: number }[]; nextCursor: string | null } = (
        await boss.get(`/api/admin/payouts?status=created&limit=100${cursor ? `&cursor=${cursor}` : ''}`)
      ).body;
      queue.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(queue.find((p) => p.id === old[0].id)).toMatchObject({ method: 'qiwi', destination: '+79991112233', bank: null });
    expect(queue.find((p) => p.id === sbp.id)).toMatchObject({ method: 'sbp', destination: '+79994445566', bank: 'Альфа-Банк' });
    expect((await boss.post(`/api/admin/payouts/${old[0].id}/approve`, {})).body).toMatchObject({ method: 'qiwi', status: 'received' });
    expect((await boss.post(`/api/admin/payouts/${old[1].id}/reject`, { comment: 'QIWI больше нет' })).body).toMatchObject({
      method: 'qiwi',
      status: 'rejected',
    });
    const mine = (await executor.get('/api/payouts')).body.items;
    expect(mine.map((p: { method: string }) => p.method)).toEqual(['sbp', 'qiwi', 'qiwi']);
    await expectMoney(executor, { salary: '250.00', salaryHeld: '100.00' });
    await expectBooksBalanced();
  });

  it('is for admins only', async () => {
    const executor = await register('executor');
    expect(errorOf(await executor.get('/api/admin/payouts'))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await executor.post('/api/admin/payouts/1/approve', {}))).toEqual({ status: 403, code: 'forbidden' });
  });
});
