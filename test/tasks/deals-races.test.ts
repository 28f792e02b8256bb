// Races of the deals (API v2) fought with real parallel requests: one outcome, money moved once.
import { describe, expect, it } from 'vitest';
import { query } from '../helpers/db';
import { errorOf } from '../helpers/http';
import { invoke } from '../helpers/invoke';
import { expectBooksBalanced, moneyOf, topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { admin, register } from '../helpers/users';

async function disputedTask() {
  const customer = await register('customer');
  const executor = await register('executor');
  await topUp(customer, '100.00');
  const task = await postTask(customer, { reward: '100.00' });
  await executor.post(`/api/tasks/${task.id}/take`);
  await executor.post(`/api/tasks/${task.id}/submit`);
  const opened = await customer.post(`/api/tasks/${task.id}/dispute`, { reason: 'спор', executorAmount: '30.00' });
  expect(opened.status, opened.text).toBe(200);
  return { customer, executor, taskId: task.id as number, disputeId: opened.body.dispute.id as number };
}

const settlementsOf = async (taskId: number) =>
  Number(
    (await query('primary', "SELECT COUNT(*) AS n FROM ledger_movement WHERE task_id = ? AND kind = 'dispute_settlement'", [taskId]))[0].n,
  );

describe('deal races', () => {
  it('resolves a dispute exactly once when the answer, the admin and the timeout schedule act at once', async () => {
    const boss = await admin();
    for (let round = 0; round < 3; round++) {
      const { customer, executor, taskId, disputeId } = await disputedTask();
      await query('primary', 'UPDATE dispute SET respond_by = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [disputeId]);
      const [respond, decide] = await Promise.all([
        executor.post(`/api/tasks/${taskId}/dispute/respond`, { executorAmount: '30.00' }),
        boss.post(`/api/admin/disputes/${disputeId}/decide`, { executorAmount: '80.00', comment: 'решение' }),
        invoke('disputeDeadlines'),
      ]);
      for (const answer of [respond, decide]) expect([200, 409], answer.text).toContain(answer.status);
      expect(await settlementsOf(taskId)).toBe(1);
      const [dispute] = await query(
        'primary',
        'SELECT status, resolution_by AS resolutionBy, resolution_amount AS amount FROM dispute WHERE id = ?',
        [disputeId],
      );
      expect(dispute.status).toBe('resolved');
      const earned = dispute.resolutionBy === 'admin' ? '72.00' : '27.00';
      expect(dispute.amount).toBe(dispute.resolutionBy === 'admin' ? '80.00' : '30.00');
      if (decide.status === 200) expect(dispute.resolutionBy).toBe('admin');
      expect((await moneyOf(executor)).salary).toBe(earned);
      expect((await moneyOf(customer)).balanceHeld).toBe('0.00');
    }
    await expectBooksBalanced();
  });

  it('withdraw racing an agreeing answer: exactly one of them happens', async () => {
    for (let round = 0; round < 3; round++) {
      const { customer, executor, taskId } = await disputedTask();
      const [withdraw, respond] = await Promise.all([
        customer.post(`/api/tasks/${taskId}/dispute/withdraw`),
        executor.post(`/api/tasks/${taskId}/dispute/respond`, { executorAmount: '30.00' }),
      ]);
      expect([withdraw.status, respond.status].sort()).toEqual([200, 409]);
      const status = (await customer.get(`/api/tasks/${taskId}`)).body.status;
      expect(status).toBe(withdraw.status === 200 ? 'review' : 'done');
      expect(await settlementsOf(taskId)).toBe(withdraw.status === 200 ? 0 : 1);
    }
    await expectBooksBalanced();
  });

  it('assign at a higher price racing a create that drains the balance: one 409, nothing half-done', async () => {
    for (let round = 0; round < 3; round++) {
      const customer = await register('customer');
      const executor = await register('executor');
      await topUp(customer, '150.00');
      const task = await postTask(customer, { reward: '100.00', assignment: 'choose' });
      const offer = await executor.post(`/api/tasks/${task.id}/apply`, { price: '140.00' });
      const [assign, create] = await Promise.all([
        customer.post(`/api/tasks/${task.id}/assign`, { applicationId: offer.body.id }),
        customer.post('/api/tasks', { title: 'drain', description: 'd', reward: '50.00', categoryId: 1 }),
      ]);
      expect([assign.status === 200, create.status === 201].filter(Boolean)).toHaveLength(1);
      const loser = assign.status === 200 ? create : assign;
      expect(errorOf(loser)).toEqual({ status: 409, code: 'insufficient_funds' });
      const seen = (await customer.get(`/api/tasks/${task.id}`)).body;
      const money = await moneyOf(customer);
      if (assign.status === 200) {
        expect(seen).toMatchObject({ status: 'in_work', reward: '140.00' });
        expect(money).toMatchObject({ balance: '10.00', balanceHeld: '140.00' });
      } else {
        expect(seen).toMatchObject({ status: 'actual', reward: '100.00', executor: null });
        expect(money).toMatchObject({ balance: '0.00', balanceHeld: '150.00' });
      }
    }
    await expectBooksBalanced();
  });
});
