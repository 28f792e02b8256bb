// Money near the limits of its columns, and the platform's commission spread over its shards.
import { describe, expect, it } from 'vitest';
import type { ResultSetHeader } from 'mysql2/promise';
import { connect, query } from '../helpers/db';
import { errorOf } from '../helpers/http';
import { expectBooksBalanced, expectMoney, payCallback, topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { register, type Person } from '../helpers/users';

const MAX = '9999999999.99';

/**
 * Puts `amount` on a bucket straight in the database, as money that entered through a received
 * payment, so that the books still balance: no API can reach these sums (a top-up is at most 999999.99).
 */
async function grant(person: Person, bucket: 'balance' | 'salary', amount: string): Promise<void> {
  const conn = await connect('primary');
  try {
    await conn.beginTransaction();
    const [payment] = await conn.query<ResultSetHeader>(
      `INSERT INTO payment (account_id, amount, status, ip, received_at) VALUES (?, ?, 'received', '127.0.0.1', NOW(3))`,
      [person.id, amount],
    );
    const [movement] = await conn.query<ResultSetHeader>(`INSERT INTO ledger_movement (kind, payment_id) VALUES ('topup', ?)`, [
      payment.insertId,
    ]);
    await conn.query('INSERT INTO ledger_entry (movement_id, account_id, bucket, amount) VALUES ?', [
      [
        [movement.insertId, null, 'external', `-${amount}`],
        [movement.insertId, person.id, bucket, amount],
      ],
    ]);
    await conn.query(`UPDATE account SET ${bucket} = ${bucket} + ? WHERE id = ?`, [amount, person.id]);
    await conn.commit();
  } finally {
    await conn.end();
  }
}

describe('money near the DECIMAL(12,2) limit', () => {
  it('refuses a top-up past the limit with 409 amount_too_large, at the payment and at the callback', async () => {
    const customer = await register('customer');
    await grant(customer, 'balance', '9999999000.00');
    const over = await customer.post('/api/payments', { amount: '1000.00' });
    expect(errorOf(over)).toEqual({ status: 409, code: 'amount_too_large' });
    expect(over.body.error.message).toContain(MAX);
    const fits = await customer.post('/api/payments', { amount: '999.99' });
    expect(fits.status).toBe(201);
    // The balance grows meanwhile (another payment lands first): the callback refuses without crediting.
    const later = await customer.post('/api/payments', { amount: '500.00' });
    expect((await payCallback(fits.body.id, '999.99')).text).toBe(`OK${fits.body.id}`);
    const refused = await payCallback(later.body.id, '500.00');
    expect(errorOf(refused)).toEqual({ status: 409, code: 'amount_too_large' });
    const [payment] = await query<{ status: string }>('primary', 'SELECT status FROM payment WHERE id = ?', [later.body.id]);
    expect(payment?.status).toBe('created');
    await expectMoney(customer, { balance: MAX });
    await expectBooksBalanced();
  });

  it('refuses an accept whose payment would take the salary past the limit, and changes nothing', async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    await grant(executor, 'salary', '9999999950.00');
    await topUp(customer, '100.00');
    const task = await postTask(customer, { reward: '100.00' });
    expect((await executor.post(`/api/tasks/${task.id}/take`)).status).toBe(200);
    expect((await executor.post(`/api/tasks/${task.id}/submit`)).status).toBe(200);
    const accept = await customer.post(`/api/tasks/${task.id}/accept`);
    expect(errorOf(accept)).toEqual({ status: 409, code: 'amount_too_large' });
    expect(accept.body.error.message).toContain('salary');
    expect((await customer.get(`/api/tasks/${task.id}`)).body.status).toBe('review');
    await expectMoney(customer, { balance: '0.00', balanceHeld: '100.00' });
    await expectMoney(executor, { salary: '9999999950.00' });
    await expectBooksBalanced();
  });

  it('refuses a cancel whose refund would take the balance past the limit', async () => {
    const customer = await register('customer');
    await topUp(customer, '100.00');
    const task = await postTask(customer, { reward: '100.00' });
    await grant(customer, 'balance', '9999999950.00');
    expect(errorOf(await customer.post(`/api/tasks/${task.id}/cancel`))).toEqual({ status: 409, code: 'amount_too_large' });
    await expectMoney(customer, { balance: '9999999950.00', balanceHeld: '100.00' });
    await expectBooksBalanced();
  });

  it('still moves money right up to the limit', async () => {
    const customer = await register('customer');
    await grant(customer, 'balance', '9999999000.00');
    await topUp(customer, '999.99');
    await expectMoney(customer, { balance: MAX });
    const task = await postTask(customer, { reward: '999.99' });
    expect((await customer.post(`/api/tasks/${task.id}/cancel`)).status).toBe(200);
    await expectMoney(customer, { balance: MAX, balanceHeld: '0.00' });
    await expectBooksBalanced();
  });
});

describe('the commission over shards', () => {
  it('credits the commission of concurrent accepts to several platform rows that sum to the total', async () => {
    const before = await query<{ total: string }>('primary', 'SELECT SUM(commission) AS total FROM platform_account');
    const customer = await register('customer');
    const executor = await register('executor');
    await topUp(customer, '1000.00');
    const tasks = await Promise.all(Array.from({ length: 10 }, () => postTask(customer, { reward: '100.00' })));
    for (const task of tasks) {
      expect((await executor.post(`/api/tasks/${task.id}/take`)).status).toBe(200);
      expect((await executor.post(`/api/tasks/${task.id}/submit`)).status).toBe(200);
    }
    const accepts = await Promise.all(tasks.map((task) => customer.post(`/api/tasks/${task.id}/accept`)));
    expect(accepts.map((r) => r.status)).toEqual(Array(10).fill(200));
    const shards = await query<{ id: number; commission: string }>('primary', 'SELECT id, commission FROM platform_account ORDER BY id');
    expect(shards.map((s) => s.id)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    const total = shards.reduce((sum, s) => sum + Math.round(Number(s.commission) * 100), 0);
    expect(total - Math.round(Number(before[0]?.total ?? 0) * 100)).toBe(10 * 1000);
    expect(shards.filter((s) => Number(s.commission) > 0).length).toBeGreaterThan(1);
    await expectMoney(executor, { salary: '900.00' });
    await expectBooksBalanced();
  });
});
