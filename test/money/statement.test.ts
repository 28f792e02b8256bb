// The money history as a bank statement: one line per movement with its effect on each bucket,
// filterable by kind, and a CSV of a period.
import { describe, expect, it } from 'vitest';
import { query } from '../helpers/db';
import { errorOf, stack } from '../helpers/http';
import { topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { register } from '../helpers/users';

const today = () => new Date().toISOString().slice(0, 10);

async function customerWithHistory() {
  const customer = await register('customer');
  await topUp(customer, '1000.00');
  const task = await postTask(customer, { reward: '317.50' });
  const cancelled = await postTask(customer, { reward: '100.00' });
  expect((await customer.post(`/api/tasks/${cancelled.id}/cancel`)).status).toBe(200);
  return { customer, task, cancelled };
}

describe('GET /api/me/ledger', () => {
  it('shows each movement once, newest first, with what it did to the available and the held money', async () => {
    const { customer, task, cancelled } = await customerWithHistory();
    const items = (await customer.get('/api/me/ledger')).body.items;
    expect(items.map((i: { kind: string }) => i.kind)).toEqual(['task_refund', 'task_hold', 'task_hold', 'topup']);
    expect(items[0]).toMatchObject({
      kind: 'task_refund',
      taskId: cancelled.id,
      amount: '100.00',
      bucket: 'balance',
      effects: { balance: '100.00', balanceHeld: '-100.00' },
    });
    expect(items[2]).toEqual({
      id: expect.any(Number),
      kind: 'task_hold',
      amount: '-317.50',
      bucket: 'balance',
      createdAt: expect.any(String),
      taskId: task.id,
      description: `Удержание под задание №${task.id}`,
      effects: { balance: '-317.50', balanceHeld: '317.50' },
    });
    expect(items[3]).toMatchObject({
      kind: 'topup',
      amount: '1000.00',
      paymentId: expect.any(Number),
      effects: { balance: '1000.00', balanceHeld: '0.00' },
    });
    // Summing the effects gives the buckets as they stand.
    const sum = (key: string) =>
      items.reduce((total: number, i: { effects: Record<string, string> }) => total + Math.round(Number(i.effects[key]) * 100), 0);
    expect([sum('balance'), sum('balanceHeld')]).toEqual([68_250, 31_750]);
  });

  it('filters by kind and pages by cursor, and refuses an unknown kind', async () => {
    const { customer } = await customerWithHistory();
    const holds = (await customer.get('/api/me/ledger?kind=task_hold')).body.items;
    expect(holds.map((i: { kind: string }) => i.kind)).toEqual(['task_hold', 'task_hold']);
    const first = (await customer.get('/api/me/ledger?limit=3')).body;
    expect(first.items).toHaveLength(3);
    const second = (await customer.get(`/api/me/ledger?limit=3&cursor=${first.nextCursor}`)).body;
    expect(second.items.map((i: { kind: string }) => i.kind)).toEqual(['topup']);
    expect(second.nextCursor).toBeNull();
    expect(errorOf(await customer.get('/api/me/ledger?kind=theft'))).toEqual({ status: 400, code: 'validation_failed' });
  });

  it('shows an executor the salary pair', async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    await topUp(customer, '200.00');
    const task = await postTask(customer, { reward: '200.00' });
    await executor.post(`/api/tasks/${task.id}/take`);
    await executor.post(`/api/tasks/${task.id}/submit`);
    await customer.post(`/api/tasks/${task.id}/accept`);
    const [paid] = (await executor.get('/api/me/ledger')).body.items;
    expect(paid).toMatchObject({
      kind: 'task_payment',
      amount: '180.00',
      bucket: 'salary',
      description: `Вознаграждение за задание №${task.id}`,
      effects: { salary: '180.00', salaryHeld: '0.00' },
    });
    const [charged] = (await customer.get('/api/me/ledger')).body.items;
    expect(charged).toMatchObject({
      kind: 'task_payment',
      amount: '-200.00',
      bucket: 'balance_held',
      effects: { balance: '0.00', balanceHeld: '-200.00' },
    });
  });
});

describe('GET /api/me/ledger.csv', () => {
  it('is the period as a Russian CSV: UTF-8 with BOM, oldest first, decimal commas', async () => {
    const { customer, task } = await customerWithHistory();
    const res = await customer.get(`/api/me/ledger.csv?from=${today()}&to=${today()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="execorder-customer-${today()}-${today()}.csv"`);
    // The bytes themselves: a decoder (fetch's text() too) drops the BOM.
    const raw = await fetch(`${stack.urls.api}/api/me/ledger.csv?from=${today()}&to=${today()}`, {
      headers: { authorization: `Bearer ${customer.token}` },
    });
    const bytes = new Uint8Array(await raw.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1).split('\r\n');
    expect(lines[0]).toBe('Дата и время (UTC);Операция;Вид;Задание;Платёж;Выплата;Баланс, ₽;Удержано с баланса, ₽');
    expect(lines.slice(1, -1).map((l) => l.split(';')[2])).toEqual(['topup', 'task_hold', 'task_hold', 'task_refund']);
    expect(lines[2]).toMatch(
      new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2};Удержание под задание №${task.id};task_hold;${task.id};;;-317,50;317,50$`),
    );
    expect(lines.at(-1)).toBe('');
  });

  it('holds only the chosen period and kind, and refuses a bad or reversed period', async () => {
    const { customer } = await customerWithHistory();
    await query(
      'primary',
      `UPDATE ledger_movement m JOIN ledger_entry e ON e.movement_id = m.id
      SET m.created_at = '2025-01-15 10:00:00' WHERE e.account_id = ? AND m.kind = 'topup'`,
      [(await customer.get('/api/me')).body.id],
    );
    const january = (await customer.get('/api/me/ledger.csv?from=2025-01-01&to=2025-01-31')).text.split('\r\n');
    expect(january.slice(1, -1)).toEqual([
      expect.stringMatching(/^2025-01-15 10:00:00;Пополнение баланса, платёж №\d+;topup;;\d+;;1000,00;0,00$/),
    ]);
    const refunds = (await customer.get(`/api/me/ledger.csv?from=${today()}&to=${today()}&kind=task_refund`)).text.split('\r\n');
    expect(refunds.slice(1, -1).map((l) => l.split(';')[2])).toEqual(['task_refund']);
    for (const bad of [
      'from=2025-01-31&to=2025-01-01',
      'from=2025-02-30&to=2025-03-01',
      'from=2024-01-01&to=2025-12-31',
      'to=2025-01-01',
      'from=yesterday&to=2025-01-01',
    ]) {
      expect(errorOf(await customer.get(`/api/me/ledger.csv?${bad}`)), bad).toEqual({ status: 400, code: 'validation_failed' });
    }
  });
});
