// Payouts, their approvals and rejections, task accepts and cancels, all at once on the same
// accounts (each one customer and executor): the lock order keeps them from deadlocking, and a
// retry backs it up, so no client ever sees a 5xx.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectBooksBalanced, expectMoney, topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { admin, register, type Person } from '../helpers/users';

const card = '4111111111111111';

async function inReview(customer: Person, executor: Person, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const task = await postTask(customer, { reward: '200.00' });
    expect((await executor.post(`/api/tasks/${task.id}/take`)).status).toBe(200);
    expect((await executor.post(`/api/tasks/${task.id}/submit`)).status).toBe(200);
    ids.push(task.id);
  }
  return ids;
}

const payout = (executor: Person) =>
  executor.post('/api/payouts', { amount: '100.00', method: 'card', destination: card }, { headers: { 'idempotency-key': randomUUID() } });

describe('deadlocks never reach a client', () => {
  it('settles concurrent payouts, approvals, rejections, accepts and cancels on shared accounts without a 5xx', async () => {
    const operator = await admin();
    const ann = await register('executor');
    const bob = await register('executor');
    const annCustomer = await ann.as('customer');
    const bobCustomer = await bob.as('customer');
    await topUp(annCustomer, '2000.00');
    await topUp(bobCustomer, '2000.00');
    // Ann works for Bob and Bob for Ann, so each accept locks both accounts, from either side.
    const forBob = await inReview(bobCustomer, ann, 8);
    const forAnn = await inReview(annCustomer, bob, 8);
    for (const id of [...forBob.slice(0, 4)]) expect((await bobCustomer.post(`/api/tasks/${id}/accept`)).status).toBe(200);
    for (const id of [...forAnn.slice(0, 4)]) expect((await annCustomer.post(`/api/tasks/${id}/accept`)).status).toBe(200);
    // 720.00 salary each; four payouts of 100.00 each are waiting for the admin.
    const pending = [];
    for (const executor of [ann, bob]) for (let i = 0; i < 4; i++) pending.push((await payout(executor)).body.id as number);
    const cancellable = [await postTask(annCustomer, { reward: '50.00' }), await postTask(bobCustomer, { reward: '50.00' })];

    const answers = await Promise.all([
      ...forBob.slice(4).map((id) => bobCustomer.post(`/api/tasks/${id}/accept`)),
      ...forAnn.slice(4).map((id) => annCustomer.post(`/api/tasks/${id}/accept`)),
      ...pending.map((id, i) =>
        i % 2 === 0
          ? operator.post(`/api/admin/payouts/${id}/approve`, {})
          : operator.post(`/api/admin/payouts/${id}/reject`, { comment: 'no' }),
      ),
      ...[ann, bob].flatMap((executor) => [payout(executor), payout(executor), payout(executor)]),
      annCustomer.post(`/api/tasks/${cancellable[0].id}/cancel`),
      bobCustomer.post(`/api/tasks/${cancellable[1].id}/cancel`),
    ]);
    expect(answers.filter((a) => a.status >= 500).map((a) => a.text)).toEqual([]);
    expect(answers.map((a) => a.status).every((s) => s === 200 || s === 201)).toBe(true);

    // 720 − 400 requested + 4 × 180 earned + 200 refused back − 300 requested again.
    for (const person of [ann, bob]) await expectMoney(person, { salary: '940.00', salaryHeld: '300.00' });
    for (const person of [annCustomer, bobCustomer]) await expectMoney(person, { balance: '400.00', balanceHeld: '0.00' });
    await expectBooksBalanced();
  });
});
