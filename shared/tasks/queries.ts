// Reading tasks: the public feed (first pages cached), a role's own tasks, applications.
import type { z } from 'zod';
import type { Session } from '../accounts/sessions';
import { accountNames } from '../cache/names';
import type { RequestDb } from '../db/request-db';
import { forbidden, notFound, validationFailed } from '../http/errors';
import { JsonText } from '../http/json-text';
import { toPage, type Page } from '../http/pagination';
import { findCategory } from './categories';
import { cachedFeedPage } from './feed-cache';
import type { ApplicationsQuery, FeedQuery, MyTasksQuery } from './schemas';
import type { ApplicationView } from './transitions';
import { TASK_COLUMNS, toTaskViews, type TaskRow, type TaskView } from './view';

const before = (cursor: (number | string)[] | undefined) => (cursor ? Number(cursor[0]) : 4_294_967_296);

async function taskPage(db: RequestDb, rows: TaskRow[], limit: number): Promise<Page<TaskView>> {
  const page = toPage(rows, limit, (r) => [r.id], (r) => r);
  return { items: await toTaskViews(db, page.items), nextCursor: page.nextCursor };
}

/** A page of the feed as JSON text: the first pages come from memcached and are sent as they are stored. */
export async function feed(db: RequestDb, query: z.output<typeof FeedQuery>): Promise<JsonText> {
  let categoryId: number | undefined;
  if (query.category !== undefined) {
    categoryId = (await findCategory(db, query.category))?.id;
    if (categoryId === undefined) throw validationFailed([{ path: 'category', message: 'no such category' }]);
  }
  const load = async (strong: boolean) => {
    const sql = `SELECT ${TASK_COLUMNS} FROM task
      WHERE status = 'actual' ${categoryId === undefined ? '' : 'AND category_id = ?'} AND id < ?
      ORDER BY id DESC LIMIT ?`;
    const params = [...(categoryId === undefined ? [] : [categoryId]), before(query.cursor), query.limit + 1];
    // A cache fill reads the primary: a lagging replica must not put a taken task back in the cache.
    const rows = strong ? await db.strongRows<TaskRow>(sql, params) : await db.rows<TaskRow>(sql, params);
    return taskPage(db, rows, query.limit);
  };
  if (query.cursor) return new JsonText(JSON.stringify(await load(false)));
  return new JsonText(await cachedFeedPage(`${categoryId ?? 'all'}:${query.limit}`, async () => JSON.stringify(await load(true))));
}

/** The feed's first page as the site asks for it, for all tasks and each category, cached where it is not. */
export async function warmFeed(db: RequestDb, limit = 20): Promise<{ pages: number }> {
  // Not the container's category list, which may be a minute old: a category added since gets its page too.
  const categories = await db.strongRows<{ id: number }>('SELECT id FROM category ORDER BY id');
  await feed(db, { limit });
  for (const category of categories) await feed(db, { limit, category: category.id });
  return { pages: categories.length + 1 };
}

export async function myTasks(db: RequestDb, session: Session, query: z.output<typeof MyTasksQuery>): Promise<Page<TaskView>> {
  const column = session.role === 'customer' ? 'customer_id' : 'executor_id';
  const rows = await db.rows<TaskRow>(
    `SELECT ${TASK_COLUMNS} FROM task WHERE ${column} = ? ${query.status ? 'AND status = ?' : ''} AND id < ?
      ORDER BY id DESC LIMIT ?`,
    [session.accountId, ...(query.status ? [query.status] : []), before(query.cursor), query.limit + 1]);
  return taskPage(db, rows, query.limit);
}

export async function taskApplications(db: RequestDb, taskId: number, customer: Session,
  query: z.output<typeof ApplicationsQuery>): Promise<Page<ApplicationView>> {
  const [task] = await db.rows<{ customerId: number }>('SELECT customer_id AS customerId FROM task WHERE id = ?', [taskId]);
  if (!task) throw notFound('Task');
  if (task.customerId !== customer.accountId) throw forbidden('Only the customer who posted the task sees its applications');
  const rows = await db.rows<{ id: number; executorId: number; createdAt: Date }>(
    `SELECT id, executor_id AS executorId, created_at AS createdAt FROM task_application
      WHERE task_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, [taskId, before(query.cursor), query.limit + 1]);
  const names = await accountNames(db, rows.map((r) => r.executorId));
  return toPage(rows, query.limit, (r) => [r.id], (r) => ({
    id: r.id, executor: { id: r.executorId, name: names.get(r.executorId) ?? '' }, createdAt: r.createdAt.toISOString(),
  }));
}
