// Due dates (API v2, "Deadlines"): set at the start of work, extended by the customer, a remedy
// when they pass (cancel with a full refund), and the overdue release of `first` tasks.
import { describe, expect, it } from 'vitest';
import { eventually, query } from '../helpers/db';
import { errorOf } from '../helpers/http';
import { invoke } from '../helpers/invoke';
import { apiConfig, expectBooksBalanced, expectMoney, topUp } from '../helpers/money';
import { theMail } from '../helpers/notifications';
import { register } from '../helpers/users';

const DAY = 86_400_000;

async function customerWithTask(days: number | null, assignment: 'first' | 'choose' = 'first', title = 'Срочно') {
  const customer = await register('customer');
  await topUp(customer, '100.00');
  const res = await customer.post('/api/tasks', { title, description: 'd', reward: '100.00', categoryId: 1, assignment, days });
  expect(res.status, res.text).toBe(201);
  return { customer, task: res.body };
}

/** Moves the task's due date into the past by `minutes`. */
const overdueBy = (taskId: number, minutes: number) =>
  query('primary', 'UPDATE task SET due_at = NOW(3) - INTERVAL ? MINUTE WHERE id = ?', [minutes, taskId]);

describe('deadlines', () => {
  it("sets dueAt at take from the task's days, marks it overdue once passed, and lets the customer cancel only then", async () => {
    const { customer, task } = await customerWithTask(2);
    expect(task).toMatchObject({ days: 2, dueAt: null, overdue: false });
    const executor = await register('executor');
    const taken = (await executor.post(`/api/tasks/${task.id}/take`)).body;
    expect(Math.abs(new Date(taken.dueAt).getTime() - (Date.now() + 2 * DAY))).toBeLessThan(120_000);
    expect(taken.overdue).toBe(false);
    expect(errorOf(await customer.post(`/api/tasks/${task.id}/cancel`))).toEqual({ status: 409, code: 'invalid_state' });
    await overdueBy(task.id, 1);
    expect((await customer.get(`/api/tasks/${task.id}`)).body.overdue).toBe(true);
    const cancelled = await customer.post(`/api/tasks/${task.id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', overdue: false });
    await expectMoney(customer, { balance: '100.00', balanceHeld: '0.00' });
    await expectBooksBalanced();
  });

  it('extends from the later of dueAt and now, tells the executor with the comment, and keeps the step', async () => {
    const { customer, task } = await customerWithTask(1, 'first', 'Продление');
    const executor = await register('executor');
    const taken = (await executor.post(`/api/tasks/${task.id}/take`)).body;
    const extended = await customer.post(`/api/tasks/${task.id}/extend`, { days: 3, comment: 'не торопитесь' });
    expect(extended.status).toBe(200);
    expect(new Date(extended.body.dueAt).getTime() - new Date(taken.dueAt).getTime()).toBe(3 * DAY);
    const mail = await theMail(executor.email, 'Срок задания «Продление» продлён');
    expect(mail.text).toContain('не торопитесь');
    expect(mail.text).toContain('3 дн.');
    await overdueBy(task.id, 600);
    const fromNow = (await customer.post(`/api/tasks/${task.id}/extend`, { days: 1 })).body;
    expect(Math.abs(new Date(fromNow.dueAt).getTime() - (Date.now() + DAY))).toBeLessThan(120_000);
    expect(
      fromNow.history.filter((h: { action: string }) => h.action === 'extend').map((h: { comment: string | null }) => h.comment),
    ).toEqual(['не торопитесь', null]);
    expect(errorOf(await customer.post(`/api/tasks/${task.id}/extend`, { days: 366 }))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await executor.post(`/api/tasks/${task.id}/extend`, { days: 1 }))).toEqual({ status: 403, code: 'forbidden' });
  });

  it('releases a first task overdue for OVERDUE_RELEASE_HOURS back to the feed, and tells the executor', async () => {
    const { customer, task } = await customerWithTask(1, 'first', 'Брошенное');
    const { task: chosen, customer: other } = await customerWithTask(1, 'choose');
    const executor = await register('executor');
    await executor.post(`/api/tasks/${task.id}/take`);
    await executor.post(`/api/tasks/${chosen.id}/apply`);
    await other.post(`/api/tasks/${chosen.id}/assign`, { executorId: executor.id });
    const graceMinutes = apiConfig.OVERDUE_RELEASE_HOURS * 60;
    await overdueBy(task.id, graceMinutes + 1);
    await overdueBy(chosen.id, graceMinutes + 1);
    const result = await invoke('overdueRelease');
    expect(result.released).toBeGreaterThanOrEqual(1);
    const released = await eventually(async () => {
      const seen = (await customer.get(`/api/tasks/${task.id}`)).body;
      expect(seen.status).toBe('actual');
      return seen;
    });
    expect(released).toMatchObject({ executor: null, dueAt: null, overdue: false });
    expect(released.history.at(-1)).toMatchObject({ action: 'overdue_release', by: null });
    // A chosen executor is the customer's choice: the customer cancels instead.
    expect((await other.get(`/api/tasks/${chosen.id}`)).body).toMatchObject({ status: 'in_work', overdue: true });
    await theMail(executor.email, 'Задание «Брошенное» снято с вас');
    expect((await (await register('executor')).post(`/api/tasks/${task.id}/take`)).status).toBe(200);
    await expectBooksBalanced();
  });
});
