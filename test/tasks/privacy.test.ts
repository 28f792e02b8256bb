// Who sees a task's comment, history, dispute and rejections (API v2, "Privacy of task details").
import { describe, expect, it } from 'vitest';
import { call } from '../helpers/http';
import { topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { admin, register } from '../helpers/users';

const PRIVATE = ['history', 'dispute', 'rejections'];

describe('privacy of task details', () => {
  it('shows comment, history, dispute and rejections to the customer, the executor and admins only', async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    const stranger = await register('executor');
    const otherCustomer = await register('customer');
    await topUp(customer, '100.00');
    const task = await postTask(customer, { reward: '100.00' });
    await executor.post(`/api/tasks/${task.id}/take`);
    await executor.post(`/api/tasks/${task.id}/submit`, { comment: 'пароль от архива: 1234' });
    await customer.post(`/api/tasks/${task.id}/reject`, { comment: 'личное замечание' });

    for (const viewer of [customer, executor, await admin()]) {
      const seen = (await viewer.get(`/api/tasks/${task.id}`)).body;
      expect(seen).toMatchObject({ id: task.id, comment: 'личное замечание', rejections: 1, dispute: null });
      expect(seen.history.map((h: { action: string }) => h.action)).toEqual(['take', 'submit', 'reject']);
    }
    for (const answer of [
      await call('GET', `/api/tasks/${task.id}`),
      await stranger.get(`/api/tasks/${task.id}`),
      await otherCustomer.get(`/api/tasks/${task.id}`),
    ]) {
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id: task.id, status: 'in_work', comment: null, executor: { id: executor.id } });
      for (const field of PRIVATE) expect(answer.body).not.toHaveProperty(field);
      expect(answer.text).not.toContain('личное замечание');
    }
  });

  it('keeps private comments out of the feed, and from an executor once they abandoned the task', async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    await topUp(customer, '100.00');
    const task = await postTask(customer, { reward: '100.00' });
    await executor.post(`/api/tasks/${task.id}/take`);
    await executor.post(`/api/tasks/${task.id}/submit`, { comment: 'секрет сдачи' });
    await customer.post(`/api/tasks/${task.id}/reject`, { comment: 'секрет отказа' });
    const abandoned = await executor.post(`/api/tasks/${task.id}/abandon`);
    expect(abandoned.body).toMatchObject({ status: 'actual', executor: null, comment: null });
    expect(abandoned.body).not.toHaveProperty('history');
    const feed = await call('GET', '/api/tasks?limit=100');
    const inFeed = feed.body.items.find((t: { id: number }) => t.id === task.id);
    expect(inFeed).toMatchObject({ id: task.id, comment: null });
    for (const field of PRIVATE) expect(inFeed).not.toHaveProperty(field);
    expect(feed.text).not.toContain('секрет');
    // The customer's own list is theirs: the details come with it.
    const mine = (await customer.get('/api/me/tasks')).body.items.find((t: { id: number }) => t.id === task.id);
    expect(mine).toMatchObject({ comment: 'секрет отказа', rejections: 1 });
    expect(mine.history.map((h: { action: string }) => h.action)).toEqual(['take', 'submit', 'reject', 'abandon']);
  });
});
