// Disputes (API v2, "Disputes"): who may open one and when, answers, withdrawal, the response
// deadline, the admin's decision, and the settlement of the held reward.
import { describe, expect, it } from 'vitest';
import { eventually, query } from '../helpers/db';
import { call, errorOf } from '../helpers/http';
import { invoke } from '../helpers/invoke';
import { expectBooksBalanced, expectMoney, topUp } from '../helpers/money';
import { theMail } from '../helpers/notifications';
import { postTask } from '../helpers/tasks';
import { admin, register, type Person } from '../helpers/users';

/** A customer and an executor with a 100.00 task in work (or submitted, with `submitted`). */
async function deal(o: { submitted?: boolean; title?: string } = {}): Promise<{ customer: Person; executor: Person; taskId: number }> {
  const customer = await register('customer');
  const executor = await register('executor');
  await topUp(customer, '100.00');
  const task = await postTask(customer, { reward: '100.00', title: o.title });
  expect((await executor.post(`/api/tasks/${task.id}/take`)).status).toBe(200);
  if (o.submitted) expect((await executor.post(`/api/tasks/${task.id}/submit`, { comment: 'готово' })).status).toBe(200);
  return { customer, executor, taskId: task.id };
}

const settlements = async (taskId: number) =>
  Number(
    (await query('primary', "SELECT COUNT(*) AS n FROM ledger_movement WHERE task_id = ? AND kind = 'dispute_settlement'", [taskId]))[0].n,
  );

describe('disputes', () => {
  it('settles by agreement: the executor earns E less commission, the customer gets R − E back, the task is done', async () => {
    const { customer, executor, taskId } = await deal({ submitted: true, title: 'Спорное' });
    const opened = await customer.post(`/api/tasks/${taskId}/dispute`, { reason: 'Сделано наполовину', executorAmount: '40.00' });
    expect(opened.status, opened.text).toBe(200);
    expect(opened.body.status).toBe('disputed');
    expect(opened.body.dispute).toMatchObject({
      taskId,
      openedBy: 'customer',
      reason: 'Сделано наполовину',
      proposals: { customer: '40.00', executor: null },
      status: 'awaiting_response',
      resolution: null,
      resolvedAt: null,
    });
    const mail = await theMail(executor.email, 'Открыт спор по заданию «Спорное»');
    expect(mail.text).toContain('Сделано наполовину');
    expect(mail.text).toContain('40.00 ₽');
    // Nothing else happens to a disputed task.
    expect(errorOf(await customer.post(`/api/tasks/${taskId}/accept`))).toEqual({ status: 409, code: 'invalid_state' });
    expect(errorOf(await (await admin()).post(`/api/admin/tasks/${taskId}/freeze`, { comment: 'x' }))).toEqual({
      status: 409,
      code: 'invalid_state',
    });
    expect(errorOf(await customer.post(`/api/tasks/${taskId}/dispute`, { reason: 'ещё', executorAmount: '0' }))).toEqual({
      status: 409,
      code: 'invalid_state',
    });
    expect(errorOf(await customer.post(`/api/tasks/${taskId}/dispute/respond`, { executorAmount: '40.00' }))).toEqual({
      status: 403,
      code: 'forbidden',
    });

    const agreed = await executor.post(`/api/tasks/${taskId}/dispute/respond`, { executorAmount: '40', comment: 'согласен' });
    expect(agreed.body).toMatchObject({
      status: 'done',
      dispute: {
        status: 'resolved',
        proposals: { customer: '40.00', executor: '40.00' },
        resolution: { executorAmount: '40.00', executorEarned: '36.00', customerRefund: '60.00', by: 'agreement', comment: 'согласен' },
      },
    });
    expect(agreed.body.history.map((h: { action: string }) => h.action).slice(-3)).toEqual([
      'dispute_opened',
      'dispute_answered',
      'dispute_resolved',
    ]);
    await expectMoney(customer, { balance: '60.00', balanceHeld: '0.00' });
    await expectMoney(executor, { salary: '36.00' });
    expect(await settlements(taskId)).toBe(1);
    expect((await theMail(customer.email, 'Спор по заданию «Спорное» решён')).text).toContain('60.00 ₽');
    expect((await theMail(executor.email, 'Спор по заданию «Спорное» решён')).text).toContain('36.00 ₽');
    const stranger = await call('GET', `/api/tasks/${taskId}`);
    expect(stranger.body).not.toHaveProperty('dispute');
    await expectBooksBalanced();
  });

  it('lets the executor open only on submitted or rejected work, goes to the admin on a different answer, and the admin decides', async () => {
    const { customer, executor, taskId } = await deal();
    expect(errorOf(await executor.post(`/api/tasks/${taskId}/dispute`, { reason: 'r', executorAmount: '100' }))).toEqual({
      status: 409,
      code: 'invalid_state',
    });
    await executor.post(`/api/tasks/${taskId}/submit`);
    await customer.post(`/api/tasks/${taskId}/reject`, { comment: 'плохо' });
    expect(errorOf(await executor.post(`/api/tasks/${taskId}/dispute`, { reason: 'r', executorAmount: '100.01' }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    const opened = await executor.post(`/api/tasks/${taskId}/dispute`, { reason: 'Всё сделано', executorAmount: '100' });
    expect(opened.body.dispute).toMatchObject({ openedBy: 'executor', proposals: { customer: null, executor: '100.00' } });
    const answered = await customer.post(`/api/tasks/${taskId}/dispute/respond`, { executorAmount: '0.00', comment: 'ничего не сделано' });
    expect(answered.body).toMatchObject({
      status: 'disputed',
      dispute: { status: 'awaiting_admin', proposals: { customer: '0.00', executor: '100.00' } },
    });
    expect((await theMail(executor.email, 'Ответ в споре')).text).toContain('ничего не сделано');

    const boss = await admin();
    const queue = await boss.get('/api/admin/disputes?status=awaiting_admin&limit=100');
    expect(queue.status).toBe(200);
    const ids = queue.body.items.map((d: { id: number }) => d.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => a - b));
    expect(queue.body.items.find((d: { taskId: number }) => d.taskId === taskId)).toMatchObject({ task: { id: taskId, reward: '100.00' } });
    expect(errorOf(await boss.post(`/api/admin/disputes/${opened.body.dispute.id}/decide`, { executorAmount: '10' }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    const decided = await boss.post(`/api/admin/disputes/${opened.body.dispute.id}/decide`, {
      executorAmount: '0',
      comment: 'Работа не сдана',
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      id: opened.body.dispute.id,
      status: 'resolved',
      resolution: { executorAmount: '0.00', executorEarned: '0.00', customerRefund: '100.00', by: 'admin', comment: 'Работа не сдана' },
    });
    expect((await customer.get(`/api/tasks/${taskId}`)).body.status).toBe('cancelled');
    await expectMoney(customer, { balance: '100.00', balanceHeld: '0.00' });
    await expectMoney(executor, { salary: '0.00' });
    expect(
      errorOf(await boss.post(`/api/admin/disputes/${opened.body.dispute.id}/decide`, { executorAmount: '0', comment: 'again' })),
    ).toEqual({ status: 409, code: 'invalid_state' });
    await expectBooksBalanced();
  });

  it('withdraws back to review with the auto-accept clock restarted, and a new dispute may follow', async () => {
    const { customer, executor, taskId } = await deal({ submitted: true });
    await query('primary', 'UPDATE task SET submitted_at = NOW(3) - INTERVAL 5 DAY WHERE id = ?', [taskId]);
    await customer.post(`/api/tasks/${taskId}/dispute`, { reason: 'r', executorAmount: '50' });
    expect(errorOf(await executor.post(`/api/tasks/${taskId}/dispute/withdraw`))).toEqual({ status: 403, code: 'forbidden' });
    const back = await customer.post(`/api/tasks/${taskId}/dispute/withdraw`);
    expect(back.body).toMatchObject({ status: 'review', dispute: { status: 'withdrawn', resolution: null } });
    const [row] = await query('primary', 'SELECT submitted_at > NOW(3) - INTERVAL 1 MINUTE AS fresh FROM task WHERE id = ?', [taskId]);
    expect(Number(row.fresh)).toBe(1);
    expect(errorOf(await customer.post(`/api/tasks/${taskId}/dispute/withdraw`))).toEqual({ status: 409, code: 'invalid_state' });
    const again = await executor.post(`/api/tasks/${taskId}/dispute`, { reason: 'второй', executorAmount: '90' });
    expect(again.body.dispute).toMatchObject({ openedBy: 'executor', status: 'awaiting_response' });
    await expectMoney(customer, { balanceHeld: '100.00' });
  });

  it("resolves an unanswered dispute at the opener's proposal once respondBy has passed", async () => {
    const { customer, executor, taskId } = await deal({ submitted: true });
    const opened = (await executor.post(`/api/tasks/${taskId}/dispute`, { reason: 'молчит', executorAmount: '70' })).body;
    expect(new Date(opened.dispute.respondBy).getTime()).toBeGreaterThan(Date.now());
    await invoke('disputeDeadlines');
    expect((await customer.get(`/api/tasks/${taskId}`)).body.status).toBe('disputed');
    await query('primary', 'UPDATE dispute SET respond_by = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [opened.dispute.id]);
    expect((await invoke('disputeDeadlines')).resolved).toBeGreaterThanOrEqual(1);
    const seen = await eventually(async () => {
      const task = (await executor.get(`/api/tasks/${taskId}`)).body;
      expect(task.status).toBe('done');
      return task;
    });
    expect(seen.dispute).toMatchObject({ status: 'resolved', resolution: { executorAmount: '70.00', by: 'timeout', comment: null } });
    expect(seen.history.at(-1)).toMatchObject({ action: 'dispute_resolved', by: null });
    await expectMoney(executor, { salary: '63.00' });
    await expectMoney(customer, { balance: '30.00', balanceHeld: '0.00' });
    await invoke('disputeDeadlines');
    expect(await settlements(taskId)).toBe(1);
    await expectBooksBalanced();
  });
});
