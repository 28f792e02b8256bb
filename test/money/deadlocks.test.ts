// Payouts, their approvals and rejections, task accepts and cancels, all at once on the same
// accounts (each one customer and executor): the lock order keeps them from deadlocking, and a
// retry backs it up, so no client ever sees a 5xx.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rootConnection } from '../../local/mariadb';
import { connect, eventually, query } from '../helpers/db';
import { stack } from '../helpers/http';
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

  it("records a session's activity while a transaction of the session's own account holds the account row", async () => {
    const customer = await register('customer');
    const [session] = await query<{ id: number }>('primary', 'SELECT id FROM session WHERE account_id = ?', [customer.id]);
    const activityOf = async () =>
      (
        await query<{ fresh: number }>('primary', 'SELECT last_active_at > NOW(3) - INTERVAL 1 MINUTE AS fresh FROM session WHERE id = ?', [
          session!.id,
        ])
      )[0]!;
    await query('primary', 'UPDATE session SET last_active_at = NOW(3) - INTERVAL 2 MINUTE WHERE id = ?', [session!.id]);
    // Root's view of every transaction (the application's user may not see the others').
    const activityWaiting = async () => {
      const root = await rootConnection(Number(stack.env.DB_PRIMARY_PORT));
      try {
        const [rows] = await root.query(
          "SELECT 1 FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT' AND trx_query LIKE 'UPDATE session SET last_active_at%'",
        );
        return (rows as unknown[]).length > 0;
      } finally {
        await root.end();
      }
    };
    // A money transaction's shape: the account row locked first, the session's write mark last.
    const money = await connect('primary');
    try {
      await money.query('START TRANSACTION');
      await money.query('SELECT id FROM account WHERE id = ? FOR UPDATE', [customer.id]);
      // The next request of the session records its minute-old activity, beside the request.
      expect((await customer.get('/api/me')).status).toBe(200);
      // That update has either been made or is waiting for a lock.
      await eventually(async () => expect(Number((await activityOf()).fresh) === 1 || (await activityWaiting())).toBe(true));
      // Had the activity update waited for the account row, this would close the cycle.
      await money.query('UPDATE session SET wrote_at = NOW(3) WHERE id = ?', [session!.id]);
      await money.query('COMMIT');
    } finally {
      await money.end();
    }
    await eventually(async () => expect(Number((await activityOf()).fresh)).toBe(1));
  });
});
