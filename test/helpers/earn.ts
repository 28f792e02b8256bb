// An executor with salary to withdraw, earned the real way: a task done and accepted.
import { expect } from 'vitest';
import { topUp } from './money';
import { postTask } from './tasks';
import { register, type Person } from './users';

/** Gives the executor `reward` less commission of salary through a whole task. */
export async function earn(executor: Person, reward: string): Promise<void> {
  const customer = await register('customer');
  await topUp(customer, reward);
  const task = await postTask(customer, { reward });
  expect((await executor.post(`/api/tasks/${task.id}/take`)).status).toBe(200);
  expect((await executor.post(`/api/tasks/${task.id}/submit`)).status).toBe(200);
  expect((await customer.post(`/api/tasks/${task.id}/accept`)).status).toBe(200);
}
