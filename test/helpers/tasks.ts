// Posting tasks for tests.
import { expect } from 'vitest';
import type { Person } from './users';

let categoryCounter = 0;

export interface TaskInput {
  title?: string;
  description?: string;
  reward?: string | number;
  categoryId?: number;
  assignment?: 'first' | 'choose';
}

export async function postTask(customer: Person, input: TaskInput = {}): Promise<any> {
  const res = await customer.post('/api/tasks', {
    title: input.title ?? `Task ${++categoryCounter}`,
    description: input.description ?? 'Translate two pages',
    reward: input.reward ?? '100.00',
    categoryId: input.categoryId ?? 1,
    ...(input.assignment ? { assignment: input.assignment } : {}),
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}
