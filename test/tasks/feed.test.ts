// The feed: actual tasks newest first, cached first pages that never show a taken task.
import { beforeAll, describe, expect, it } from 'vitest';
import { call, errorOf } from '../helpers/http';
import { topUp } from '../helpers/money';
import { postTask } from '../helpers/tasks';
import { register, type Person } from '../helpers/users';

let customer: Person;
let executor: Person;
/** A category of this file's own, so other tests' tasks never land in these pages. */
let categoryId: number;

beforeAll(async () => {
  customer = await register('customer', { fname: 'Лента', sname: 'Тестова' });
  executor = await register('executor');
  await topUp(customer, '5000.00');
  const boss = await (await import('../helpers/users')).admin();
  const slug = `feed-${Date.now().toString(36)}`;
  const created = await boss.post('/api/admin/categories', { slug, name: 'Лента' });
  expect(created.status).toBe(201);
  categoryId = created.body.id;
});

const feedIds = async (query: string) => {
  const res = await call('GET', `/api/tasks?category=${categoryId}${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body as { items: { id: number }[]; nextCursor: string | null };
};

describe('GET /api/tasks', () => {
  it('lists actual tasks newest first with names and category, filtered by category', async () => {
    const older = await postTask(customer, { categoryId });
    const newer = await postTask(customer, { categoryId });
    const page = await feedIds('');
    expect(page.items.map((t) => t.id)).toEqual([newer.id, older.id]);
    expect(page.items[0]).toMatchObject({ customer: { id: customer.id, name: 'Лента Тестова' }, status: 'actual' });
  });

  it('drops a taken task and a cancelled task at once, despite the cache', async () => {
    const toTake = await postTask(customer, { categoryId });
    const toCancel = await postTask(customer, { categoryId });
    expect((await feedIds('')).items.map((t) => t.id)).toEqual(expect.arrayContaining([toTake.id, toCancel.id]));
    expect((await feedIds('')).items.map((t) => t.id)).toEqual(expect.arrayContaining([toTake.id, toCancel.id])); // now cached
    await executor.post(`/api/tasks/${toTake.id}/take`);
    expect((await feedIds('')).items.map((t) => t.id)).not.toContain(toTake.id);
    await customer.post(`/api/tasks/${toCancel.id}/cancel`);
    expect((await feedIds('')).items.map((t) => t.id)).not.toContain(toCancel.id);
  });

  it('pages with a cursor and stays stable while tasks are inserted between requests', async () => {
    const slug = `pages-${Date.now().toString(36)}`;
    const boss = await (await import('../helpers/users')).admin();
    const category = (await boss.post('/api/admin/categories', { slug, name: 'Страницы' })).body.id;
    const posted = [];
    for (let i = 0; i < 5; i++) posted.push((await postTask(customer, { categoryId: category })).id);
    const first = await call('GET', `/api/tasks?category=${slug}&limit=2`);
    expect(first.body.items.map((t: { id: number }) => t.id)).toEqual([posted[4], posted[3]]);
    await postTask(customer, { categoryId: category }); // inserted between page requests
    const second = await call('GET', `/api/tasks?category=${slug}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((t: { id: number }) => t.id)).toEqual([posted[2], posted[1]]);
    const third = await call('GET', `/api/tasks?category=${slug}&limit=2&cursor=${second.body.nextCursor}`);
    expect(third.body.items.map((t: { id: number }) => t.id)).toEqual([posted[0]]);
    expect(third.body.nextCursor).toBeNull();
  });

  it('rejects bad paging input with 400', async () => {
    expect(errorOf(await call('GET', '/api/tasks?limit=0'))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await call('GET', '/api/tasks?limit=101'))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await call('GET', '/api/tasks?cursor=not-a-cursor'))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await call('GET', '/api/tasks?category=no-such-category'))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await call('GET', '/api/tasks?colour=red'))).toEqual({ status: 400, code: 'validation_failed' });
  });

  it('lists the seeded categories', async () => {
    const res = await call('GET', '/api/categories');
    expect(res.body.items.slice(0, 7).map((c: { slug: string }) => c.slug)).toEqual([
      'translation',
      'copywriting',
      'design',
      'development',
      'testing',
      'data-entry',
      'other',
    ]);
  });
});
