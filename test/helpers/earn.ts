// An executor with salary to withdraw, earned the real way: a task done and accepted.
import { expect } from 'vitest';
import { topUp } from './money';
import { postTask } from './tasks';
import { register, type Person } from './users';

/** Gives the executor `reward` less commission of salary through a whole task. */
export async function earn(executor: Person, reward: string): Promise<void> {
  const customer = await register('customer');
  await topUp(customer, reward);
  await doneTask(customer, executor, reward);
}

/** A task of the customer (who has the money) taken, submitted and accepted: `done`. */
export async function doneTask(customer: Person, executor: Person, reward = '100.00'): Promise<any> {
  const task = await postTask(customer, { reward });
  expect((await executor.post(`/api/tasks/${task.id}/take`)).status).toBe(200);
  expect((await executor.post(`/api/tasks/${task.id}/submit`)).status).toBe(200);
  const accepted = await customer.post(`/api/tasks/${task.id}/accept`);
  expect(accepted.status).toBe(200);
  return accepted.body;
}
