// Races fought with real parallel requests: the database decides, exactly once.
import { describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/http';
import { expectBooksBalanced, expectMoney, moneyOf, topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { register } from '../helpers/users';

describe('races', () => {
  it('lets exactly one of 20 executors take a task', async () => {
    const customer = await register('customer');
    await topUp(customer, '100.00');
    const task = await postTask(customer, { reward: '100.00' });
    const executors = await Promise.all(Array.from({ length: 20 }, () => register('executor')));
    const results = await Promise.all(executors.map((e) => e.post(`/api/tasks/${task.id}/take`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => errorOf(r).code === 'task_taken')).toHaveLength(19);
    const winner = executors[results.findIndex((r) => r.status === 200)]!;
    expect((await winner.get(`/api/tasks/${task.id}`)).body.executor.id).toBe(winner.id);
  });

  it('with 900.00 and 20 concurrent 100.00 creates, exactly 9 succeed and the balance never goes negative', async () => {
    const customer = await register('customer');
    await topUp(customer, '900.00');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        customer.post('/api/tasks', { title: `Race ${i}`, description: 'd', reward: '100.00', categoryId: 2 }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(9);
    expect(results.filter((r) => errorOf(r).code === 'insufficient_funds')).toHaveLength(11);
    await expectMoney(customer, { balance: '0.00', balanceHeld: '900.00' });
    await expectBooksBalanced();
  });

  it('completes 25 concurrent creates, more than the connection pool holds', async () => {
    // Each commit publishes its outbox event afterwards; that must not wait on a pool the
    // other transactions hold (it once did, and every request hung).
    const customer = await register('customer');
    await topUp(customer, '250.00');
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        customer.post('/api/tasks', { title: `Many ${i}`, description: 'd', reward: '10.00', categoryId: 2 }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(25).fill(201));
    await expectMoney(customer, { balance: '0.00', balanceHeld: '250.00' });
    await expectBooksBalanced();
  });

  it('pays once when the customer accepts 5 times at once', async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    await topUp(customer, '200.00');
    const task = await postTask(customer, { reward: '200.00' });
    await executor.post(`/api/tasks/${task.id}/take`);
    await executor.post(`/api/tasks/${task.id}/submit`);
    const results = await Promise.all(Array.from({ length: 5 }, () => customer.post(`/api/tasks/${task.id}/accept`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => errorOf(r).code === 'invalid_state')).toHaveLength(4);
    await expectMoney(executor, { salary: '180.00' });
    await expectMoney(customer, { balance: '0.00', balanceHeld: '0.00' });
    await expectBooksBalanced();
  });

  it('settles a cancel racing a take: one wins and the money follows the winner', async () => {
    for (let round = 0; round < 5; round++) {
      const customer = await register('customer');
      const executor = await register('executor');
      await topUp(customer, '50.00');
      const task = await postTask(customer, { reward: '50.00' });
      const [cancel, take] = await Promise.all([
        customer.post(`/api/tasks/${task.id}/cancel`),
        executor.post(`/api/tasks/${task.id}/take`),
      ]);
      expect([cancel.status, take.status].filter((s) => s === 200)).toHaveLength(1);
      const money = await moneyOf(customer);
      if (cancel.status === 200) {
        expect(errorOf(take).status).toBe(409);
        expect(money).toMatchObject({ balance: '50.00', balanceHeld: '0.00' });
      } else {
        expect(errorOf(cancel)).toEqual({ status: 409, code: 'invalid_state' });
        expect(money).toMatchObject({ balance: '0.00', balanceHeld: '50.00' });
      }
    }
    await expectBooksBalanced();
  });
});
