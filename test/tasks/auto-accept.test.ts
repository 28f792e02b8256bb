import { describe, expect, it } from 'vitest';
import { eventually, query } from '../helpers/db';
import { invoke } from '../helpers/invoke';
import { apiConfig, expectBooksBalanced, expectMoney, topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { register } from '../helpers/users';

describe('auto-accept (scheduled)', () => {
  it('accepts and pays tasks that waited in review longer than AUTO_ACCEPT_HOURS, and only those', async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    await topUp(customer, '300.00');
    const due = await postTask(customer, { reward: '100.00' });
    const fresh = await postTask(customer, { reward: '100.00' });
    for (const task of [due, fresh]) {
      await executor.post(`/api/tasks/${task.id}/take`);
      await executor.post(`/api/tasks/${task.id}/submit`);
    }
    // The task was submitted AUTO_ACCEPT_HOURS and a minute ago.
    await query('primary', 'UPDATE task SET submitted_at = NOW(3) - INTERVAL ? MINUTE WHERE id = ?', [
      apiConfig.AUTO_ACCEPT_HOURS * 60 + 1,
      due.id,
    ]);
    const result = await invoke('autoAccept');
    expect(result.accepted).toBeGreaterThanOrEqual(1);
    await eventually(async () => expect((await executor.get(`/api/tasks/${due.id}`)).body.status).toBe('done'));
    expect((await executor.get(`/api/tasks/${fresh.id}`)).body.status).toBe('review');
    await expectMoney(executor, { salary: '90.00' });
    await expectMoney(customer, { balance: '100.00', balanceHeld: '100.00' });
    await expectBooksBalanced();
  });
});
